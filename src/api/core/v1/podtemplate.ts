// core/v1 PodTemplate: a stored pod template (rarely used directly; workloads embed theirs).
import type { Schema } from '../../../machinery/schema.js';
import type { ResourceDef } from '../../resource.js';
import { labelsString } from './labels-string.js';
import { col, core, cref, kindObj, nameColumn } from './common.js';
import { defaultPodTemplateSpec } from './pod-defaults.js';
import { validatePodTemplateSpec } from './pod-validation.js';
import { containerCells, isObj, type O } from './validation.js';

export const definitions: Record<string, Schema> = {
  [core('PodTemplate')]: kindObj('', 'PodTemplate', {
    template: cref('PodTemplateSpec', 'The pods this template describes.'),
  }, 'A pod template stored as an object of its own.'),
};

export const podTemplates: ResourceDef = {
  group: '', version: 'v1', kind: 'PodTemplate', plural: 'podtemplates', singular: 'podtemplate',
  namespaced: true, schemaName: core('PodTemplate'),
  defaults(pt) {
    if (!isObj(pt.template)) pt.template = {};
    defaultPodTemplateSpec(pt.template);
  },
  validate: (pt) => validatePodTemplateSpec(pt.template, 'template'),
  columns: [
    nameColumn,
    col('Containers', 'string', 'Names of the containers in the template.'),
    col('Images', 'string', 'Images of the containers in the template.'),
    col('Pod Labels', 'string', 'Labels of the pods made from the template.'),
  ],
  row(pt) {
    const tpl: O = isObj(pt.template) ? pt.template : {};
    const { names, images } = containerCells(tpl.spec);
    return [pt.metadata.name, names, images, labelsString(tpl.metadata?.labels)];
  },
};
