// apiextensions.k8s.io/v1 types: CustomResourceDefinition and JSONSchemaProps, the OpenAPI v3 schema
// language a CRD describes its objects in (recursive: properties, items, allOf... are schemas too).
import { bool, bytes, enumOf, int32, int64, list, mapOf, num, obj, ref, str, type Schema } from '../../../machinery/schema.js';
import { META } from '../../meta/v1.js';
import { conditionList, kindSchema } from '../../apps/v1/common.js';

export const X = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';
export const CRD = `${X}.CustomResourceDefinition`;
export const JSON_SCHEMA_PROPS = `${X}.JSONSchemaProps`;

const schemaRef = (d: string) => ref(JSON_SCHEMA_PROPS, d);
/** A value of any JSON type (JSON, JSONSchemaPropsOrBool, ...): no type, kept as written. */
const anyJSON = (description: string): Schema => ({ description, 'x-kubernetes-preserve-unknown-fields': true });

export const definitions: Record<string, Schema> = {
  [CRD]: kindSchema('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', {
    spec: ref(`${X}.CustomResourceDefinitionSpec`, 'The resource to serve: group, names, scope and versions with their schemas.'),
    status: ref(`${X}.CustomResourceDefinitionStatus`, 'Whether the names were accepted and the resource is served.'),
  }, 'Adds a resource to the API: its objects are stored and served like built-in ones. Named <plural>.<group>.', ['spec']),
  [`${X}.CustomResourceDefinitionSpec`]: obj({
    group: str('API group of the resource (a DNS subdomain with at least one dot), served at /apis/<group>/<version>.'),
    names: ref(`${X}.CustomResourceDefinitionNames`, 'Resource and kind names.'),
    scope: enumOf(['Cluster', 'Namespaced'], 'Cluster or Namespaced.'),
    versions: list(ref(`${X}.CustomResourceDefinitionVersion`), 'The versions served; exactly one is the storage version.'),
    conversion: ref(`${X}.CustomResourceConversion`, 'How objects are converted between versions. Defaults to None (only apiVersion changes).'),
    preserveUnknownFields: bool('Deprecated; must be false: unknown fields are pruned unless a schema says x-kubernetes-preserve-unknown-fields.'),
  }, { description: 'What a CustomResourceDefinition adds to the API.', required: ['group', 'names', 'scope', 'versions'] }),
  [`${X}.CustomResourceDefinitionNames`]: obj({
    plural: str('Lower-case plural, the URL segment: /apis/<group>/<version>/<plural>.'),
    singular: str('Lower-case singular, for kubectl. Defaults to the lower-cased kind.'),
    shortNames: list(str(), 'Short names for kubectl, e.g. crd.'),
    kind: str('CamelCase kind of the objects.'),
    listKind: str('Kind of lists of the objects. Defaults to <kind>List.'),
    categories: list(str(), 'Groups of resources this one belongs to, e.g. all (kubectl get all).'),
  }, { description: 'The names of a custom resource.', required: ['plural', 'kind'] }),
  [`${X}.CustomResourceDefinitionVersion`]: obj({
    name: str('Version name, e.g. v1 or v2beta1; served at /apis/<group>/<name>.'),
    served: bool('Whether the version is served.'),
    storage: bool('Whether objects are stored in this version; exactly one version has true.'),
    deprecated: bool('Whether the version is deprecated; clients get a warning.'),
    deprecationWarning: str('The warning returned instead of the default one.'),
    schema: ref(`${X}.CustomResourceValidation`, 'Schema of the objects in this version.'),
    subresources: ref(`${X}.CustomResourceSubresources`, 'The status and scale subresources.'),
    additionalPrinterColumns: list(ref(`${X}.CustomResourceColumnDefinition`), 'Columns of kubectl get; default: Age.'),
    selectableFields: list(ref(`${X}.SelectableField`), 'Fields that field selectors may use.'),
  }, { description: 'One version of a custom resource.', required: ['name', 'served', 'storage'] }),
  [`${X}.CustomResourceValidation`]: obj({
    openAPIV3Schema: schemaRef('The OpenAPI v3 schema objects must satisfy; must be structural.'),
  }, 'The schema of a version.'),
  [`${X}.CustomResourceSubresources`]: obj({
    status: ref(`${X}.CustomResourceSubresourceStatus`, 'Enables /status: .status is written only there, and spec changes bump metadata.generation.'),
    scale: ref(`${X}.CustomResourceSubresourceScale`, 'Enables /scale, for kubectl scale and autoscalers.'),
  }, 'Subresources of a custom resource.'),
  [`${X}.CustomResourceSubresourceStatus`]: obj({}, 'Enables the status subresource; has no fields.'),
  [`${X}.CustomResourceSubresourceScale`]: obj({
    specReplicasPath: str('JSON path under .spec of the desired replicas, e.g. .spec.replicas.'),
    statusReplicasPath: str('JSON path under .status of the observed replicas.'),
    labelSelectorPath: str('JSON path under .spec or .status of the pod selector in string form.'),
  }, { description: 'Where the scale subresource reads and writes.', required: ['specReplicasPath', 'statusReplicasPath'] }),
  [`${X}.CustomResourceColumnDefinition`]: obj({
    name: str('Column header.'),
    type: str('integer, number, string, boolean or date.'),
    format: str('Optional format: int32, int64, float, double, byte, date, date-time, password, or name.'),
    description: str('What the column shows.'),
    priority: int32('0 shows the column always, higher only with -o wide.'),
    jsonPath: str('Simple JSON path into each object, e.g. .spec.replicas.'),
  }, { description: 'A column of kubectl get.', required: ['name', 'type', 'jsonPath'] }),
  [`${X}.SelectableField`]: obj({
    jsonPath: str('Simple JSON path to a string, integer or boolean field.'),
  }, { description: 'A field usable in field selectors.', required: ['jsonPath'] }),
  [`${X}.CustomResourceConversion`]: obj({
    strategy: str('None (only apiVersion changes) or Webhook.'),
    webhook: ref(`${X}.WebhookConversion`, 'The conversion webhook; only with strategy Webhook.'),
  }, { description: 'How objects are converted between versions.', required: ['strategy'] }),
  [`${X}.WebhookConversion`]: obj({
    clientConfig: ref(`${X}.WebhookClientConfig`, 'How to call the webhook.'),
    conversionReviewVersions: list(str(), 'ConversionReview versions the webhook understands, in order of preference; must include v1 or v1beta1.'),
  }, { description: 'A conversion webhook.', required: ['conversionReviewVersions'] }),
  [`${X}.WebhookClientConfig`]: obj({
    url: str('https URL of the webhook; excludes service.'),
    service: ref(`${X}.ServiceReference`, 'A Service in the cluster; excludes url.'),
    caBundle: bytes('PEM CA bundle to verify the webhook\'s certificate.'),
  }, 'How to reach a webhook.'),
  [`${X}.ServiceReference`]: obj({
    namespace: str('Namespace of the Service.'),
    name: str('Name of the Service.'),
    path: str('URL path of the webhook.'),
    port: int32('Port of the Service. Defaults to 443.'),
  }, { description: 'A Service that serves a webhook.', required: ['namespace', 'name'] }),
  [`${X}.CustomResourceDefinitionStatus`]: obj({
    conditions: conditionList(ref(`${X}.CustomResourceDefinitionCondition`), 'NamesAccepted, Established, Terminating, NonStructuralSchema...'),
    acceptedNames: ref(`${X}.CustomResourceDefinitionNames`, 'The names actually served; differ from spec.names while conflicting.'),
    storedVersions: list(str(), 'Versions objects have ever been stored in; a version can be removed from spec.versions only after removing it here.'),
  }, 'The observed state of a CustomResourceDefinition.'),
  [`${X}.CustomResourceDefinitionCondition`]: obj({
    type: str('NamesAccepted, Established, Terminating, NonStructuralSchema or KubernetesAPIApprovalPolicyConformant.'),
    status: str('True, False or Unknown.'),
    lastTransitionTime: ref(META.Time, 'Last time the status changed.'),
    reason: str('One-word CamelCase reason for the last transition.'),
    message: str('Human-readable details of the last transition.'),
  }, { description: 'One observation of a CustomResourceDefinition.', required: ['type', 'status'] }),

  [JSON_SCHEMA_PROPS]: obj({
    id: str('Identifier of the schema.'),
    $schema: str('JSON Schema dialect.'),
    $ref: str('Reference to another schema; not supported in CRDs.'),
    description: str('What the value means; shown by kubectl explain.'),
    type: str('object, array, string, integer, number or boolean.'),
    format: str('Format of a string or number: int32, int64, float, double, byte, date, date-time, duration, uri, email, hostname, ipv4, ipv6, cidr, mac, uuid, ...'),
    title: str('Short title.'),
    default: anyJSON('Value set when the field is absent; must satisfy the schema.'),
    maximum: num('Largest value allowed.'),
    exclusiveMaximum: bool('Whether maximum itself is excluded.'),
    minimum: num('Smallest value allowed.'),
    exclusiveMinimum: bool('Whether minimum itself is excluded.'),
    maxLength: int64('Longest string allowed.'),
    minLength: int64('Shortest string allowed.'),
    pattern: str('Regular expression a string must match.'),
    maxItems: int64('Most items of an array.'),
    minItems: int64('Fewest items of an array.'),
    uniqueItems: bool('Not supported in CRDs (must be false); use x-kubernetes-list-type: set.'),
    multipleOf: num('The value must be a multiple of this.'),
    enum: list(anyJSON('An allowed value.'), 'The allowed values.'),
    maxProperties: int64('Most properties of an object.'),
    minProperties: int64('Fewest properties of an object.'),
    required: list(str(), 'Properties that must be present.'),
    items: ref(`${X}.JSONSchemaPropsOrArray`, 'Schema of the items of an array.'),
    allOf: list(schemaRef('A schema the value must also satisfy.'), 'Schemas that must all hold.'),
    oneOf: list(schemaRef('A schema.'), 'Schemas of which exactly one must hold.'),
    anyOf: list(schemaRef('A schema.'), 'Schemas of which at least one must hold.'),
    not: schemaRef('A schema that must not hold.'),
    properties: mapOf(schemaRef('Schema of a property.'), 'Schemas of the properties of an object.'),
    additionalProperties: ref(`${X}.JSONSchemaPropsOrBool`, 'Schema of the values of a map (an object with arbitrary keys); excludes properties.'),
    patternProperties: mapOf(schemaRef('A schema.'), 'Schemas of properties whose names match patterns.'),
    dependencies: mapOf(ref(`${X}.JSONSchemaPropsOrStringArray`), 'Properties or schemas required when a property is present.'),
    additionalItems: ref(`${X}.JSONSchemaPropsOrBool`, 'Schema of items beyond those of an items array.'),
    definitions: mapOf(schemaRef('A schema.'), 'Named schemas.'),
    externalDocs: ref(`${X}.ExternalDocumentation`, 'Link to more documentation.'),
    example: anyJSON('An example value.'),
    nullable: bool('Whether null is allowed (and kept rather than pruned).'),
    'x-kubernetes-preserve-unknown-fields': bool('Keep fields the schema does not specify instead of pruning them.'),
    'x-kubernetes-embedded-resource': bool('The value is a Kubernetes object with apiVersion, kind and metadata.'),
    'x-kubernetes-int-or-string': bool('The value is an integer or a string.'),
    'x-kubernetes-list-map-keys': list(str(), 'With list-type map: the item fields that identify an item.'),
    'x-kubernetes-list-type': str('atomic (replaced whole), set (unique scalars) or map (items merged by key).'),
    'x-kubernetes-map-type': str('granular (fields merged separately) or atomic (replaced whole).'),
    'x-kubernetes-validations': {
      type: 'array', items: ref(`${X}.ValidationRule`), description: 'CEL rules the value must satisfy.',
      'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['rule'],
      'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'rule',
    },
  }, 'A JSON Schema (OpenAPI v3 subset) describing a value of a custom resource.'),
  [`${X}.JSONSchemaPropsOrArray`]: { ...ref(JSON_SCHEMA_PROPS), description: 'A schema (the array form of JSON Schema is not allowed in CRDs).' },
  [`${X}.JSONSchemaPropsOrBool`]: anyJSON('A schema, or a boolean (true: any value allowed).'),
  [`${X}.JSONSchemaPropsOrStringArray`]: anyJSON('A schema, or a list of property names.'),
  [`${X}.JSON`]: anyJSON('Any JSON value.'),
  [`${X}.ExternalDocumentation`]: obj({ description: str('What the link is about.'), url: str('The link.') }, 'A link to documentation.'),
  [`${X}.ValidationRule`]: obj({
    rule: str('CEL expression over self (and oldSelf for transition rules) that must be true.'),
    message: str('Message returned when the rule fails.'),
    messageExpression: str('CEL expression giving the message.'),
    reason: enumOf(['FieldValueDuplicate', 'FieldValueForbidden', 'FieldValueInvalid', 'FieldValueRequired'], 'Reason reported when the rule fails. Defaults to FieldValueInvalid.'),
    fieldPath: str('Path of the field reported, relative to the schema.'),
    optionalOldSelf: bool('Evaluate the transition rule also when there is no old value.'),
  }, { description: 'A CEL validation rule.', required: ['rule'] }),
};
