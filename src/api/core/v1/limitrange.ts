// core/v1 LimitRange: per-object minimums, maximums and defaults of resources in a namespace.
import { list, obj, str, type Schema } from '../../../machinery/schema.js';
import { field, type FieldError } from '../../../machinery/status.js';
import type { Quantity } from '../../../machinery/quantity.js';
import type { ResourceDef } from '../../resource.js';
import { core, cref, kindObj, nameColumn, col, resourceList } from './common.js';
import { arr, isObj, isOvercommitAllowed, quantityAt, validateResourceName, type O } from './validation.js';
import { defaultResourceList } from './resource-list.js';

const TYPES = ['Container', 'PersistentVolumeClaim', 'Pod'];

export const definitions: Record<string, Schema> = {
  [core('LimitRange')]: kindObj('', 'LimitRange', {
    spec: cref('LimitRangeSpec', 'The limits.'),
  }, 'Minimums, maximums and defaults for the resources of each pod, container or claim in a namespace.'),
  [core('LimitRangeSpec')]: obj({
    limits: list(cref('LimitRangeItem'), 'The limits, one item per kind of object.'),
  }, { description: 'The limits of a LimitRange.', required: ['limits'] }),
  [core('LimitRangeItem')]: obj({
    type: str('What the limits apply to: Container, Pod or PersistentVolumeClaim.'),
    max: resourceList('Most of each resource an object may have.'),
    min: resourceList('Least of each resource an object must have.'),
    default: resourceList('Limits given to containers that set none.'),
    defaultRequest: resourceList('Requests given to containers that set none.'),
    maxLimitRequestRatio: resourceList('Largest allowed limit-to-request ratio per resource.'),
  }, { description: 'Limits for one kind of object.', required: ['type'] }),
};

/** For containers: the default limit falls back to max, the default request to the default limit, then to min. */
function defaultItem(item: O): void {
  for (const k of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']) defaultResourceList(item[k]);
  if (item.type !== 'Container') return;
  const def: O = isObj(item.default) ? { ...item.default } : {};
  const req: O = isObj(item.defaultRequest) ? { ...item.defaultRequest } : {};
  for (const [k, v] of Object.entries(isObj(item.max) ? item.max : {})) if (!(k in def)) def[k] = v;
  for (const [k, v] of Object.entries(def)) if (!(k in req)) req[k] = v;
  for (const [k, v] of Object.entries(isObj(item.min) ? item.min : {})) if (!(k in req)) req[k] = v;
  if (Object.keys(def).length) item.default = def;
  if (Object.keys(req).length) item.defaultRequest = req;
}

function validateLimitRange(lr: O): FieldError[] {
  const errs: FieldError[] = [];
  const seenTypes = new Set<string>();
  arr(isObj(lr.spec) ? lr.spec.limits : undefined).forEach((item: O, i) => {
    const p = `spec.limits[${i}]`;
    if (!isObj(item)) return;
    const type = String(item.type ?? '');
    const typeErrs = validateResourceName(type, `${p}.type`);
    errs.push(...typeErrs);
    if (!typeErrs.length && !type.includes('/') && !TYPES.includes(type)) errs.push(field.invalid(`${p}.type`, type, 'must be a standard limit type or fully qualified'));
    if (seenTypes.has(type)) errs.push(field.duplicate(`${p}.type`, type));
    seenTypes.add(type);
    const read = (k: string): Map<string, Quantity> => {
      const m = new Map<string, Quantity>();
      for (const [name, v] of Object.entries(isObj(item[k]) ? item[k] : {})) {
        errs.push(...validateResourceName(name, `${p}.${k}[${name}]`));
        const q = quantityAt(v, `${p}.${k}[${name}]`, errs);
        if (q) m.set(name, q);
      }
      return m;
    };
    const max = read('max');
    const min = read('min');
    let def = new Map<string, Quantity>();
    let defReq = new Map<string, Quantity>();
    if (type === 'Pod') {
      if (isObj(item.default) && Object.keys(item.default).length) errs.push(field.forbidden(`${p}.default`, "may not be specified when `type` is 'Pod'"));
      if (isObj(item.defaultRequest) && Object.keys(item.defaultRequest).length) errs.push(field.forbidden(`${p}.defaultRequest`, "may not be specified when `type` is 'Pod'"));
    } else {
      def = read('default');
      defReq = read('defaultRequest');
    }
    if (type === 'PersistentVolumeClaim' && !min.has('storage') && !max.has('storage')) {
      errs.push(field.required(`${p}.limits`, 'either minimum or maximum storage value is required, but neither was provided'));
    }
    const ratio = read('maxLimitRequestRatio');
    const keys = new Set([...max.keys(), ...min.keys(), ...def.keys(), ...defReq.keys(), ...ratio.keys()]);
    for (const k of keys) {
      const mn = min.get(k);
      const mx = max.get(k);
      const d = def.get(k);
      const dr = defReq.get(k);
      const r = ratio.get(k);
      const s = (q: Quantity) => q.toString();
      if (mn && mx && mn.cmp(mx) > 0) errs.push(field.invalid(`${p}.min[${k}]`, s(mn), `min value ${s(mn)} is greater than max value ${s(mx)}`));
      if (dr && mn && mn.cmp(dr) > 0) errs.push(field.invalid(`${p}.defaultRequest[${k}]`, s(dr), `min value ${s(mn)} is greater than default request value ${s(dr)}`));
      if (dr && mx && dr.cmp(mx) > 0) errs.push(field.invalid(`${p}.defaultRequest[${k}]`, s(dr), `default request value ${s(dr)} is greater than max value ${s(mx)}`));
      if (dr && d && dr.cmp(d) > 0) errs.push(field.invalid(`${p}.defaultRequest[${k}]`, s(dr), `default request value ${s(dr)} is greater than default limit value ${s(d)}`));
      if (d && mn && mn.cmp(d) > 0) errs.push(field.invalid(`${p}.default[${k}]`, s(mn), `min value ${s(mn)} is greater than default value ${s(d)}`));
      if (d && mx && d.cmp(mx) > 0) errs.push(field.invalid(`${p}.default[${k}]`, s(mx), `default value ${s(d)} is greater than max value ${s(mx)}`));
      if (r && r.milliValue() < 1000n) errs.push(field.invalid(`${p}.maxLimitRequestRatio[${k}]`, s(r), `ratio ${s(r)} is less than 1`));
      if (r && mn && mx && !mn.isZero()) {
        const limit = mx.asApproximateFloat64() / mn.asApproximateFloat64();
        if (r.asApproximateFloat64() > limit) errs.push(field.invalid(`${p}.maxLimitRequestRatio[${k}]`, s(r), `ratio ${s(r)} is greater than max/min = ${limit.toFixed(6)}`));
      }
      if (!isOvercommitAllowed(k) && d && dr && d.cmp(dr) !== 0) {
        errs.push(field.invalid(`${p}.defaultRequest[${k}]`, s(dr), `default value ${s(d)} must equal to defaultRequest value ${s(dr)} in ${k}`));
      }
    }
  });
  return errs;
}

export const limitRanges: ResourceDef = {
  group: '', version: 'v1', kind: 'LimitRange', plural: 'limitranges', singular: 'limitrange', namespaced: true,
  shortNames: ['limits'], schemaName: core('LimitRange'),
  defaults(lr) {
    for (const item of arr(isObj(lr.spec) ? lr.spec.limits : undefined)) if (isObj(item)) defaultItem(item);
  },
  validate: (lr) => validateLimitRange(lr),
  columns: [nameColumn, col('Created At', 'date', 'When the object was created.')],
  row: (lr) => [lr.metadata.name, lr.metadata.creationTimestamp ?? ''],
};
