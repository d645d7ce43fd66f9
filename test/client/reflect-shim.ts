// @peculiar/x509 loads tsyringe, which refuses to start without the Reflect metadata API (the
// reflect-metadata package, not a dependency here). This supplies the small part it uses; import
// it before @peculiar/x509.
type Meta = Map<unknown, Map<string | symbol | undefined, unknown>>;
const store = new WeakMap<object, Meta>();
const R = Reflect as unknown as Record<string, unknown>;

function table(target: object, prop: string | symbol | undefined, create: boolean): Map<unknown, unknown> | undefined {
  let byTarget = store.get(target);
  if (!byTarget) {
    if (!create) return undefined;
    store.set(target, (byTarget = new Map()));
  }
  let byProp = byTarget.get(prop) as Map<unknown, unknown> | undefined;
  if (!byProp && create) byTarget.set(prop, (byProp = new Map()) as never);
  return byProp;
}

if (typeof R.getMetadata !== 'function') {
  R.defineMetadata = (key: unknown, value: unknown, target: object, prop?: string | symbol) => void table(target, prop, true)!.set(key, value);
  R.getOwnMetadata = (key: unknown, target: object, prop?: string | symbol) => table(target, prop, false)?.get(key);
  R.getMetadata = (key: unknown, target: object, prop?: string | symbol): unknown => {
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t)) {
      const v = table(t, prop, false)?.get(key);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  R.hasMetadata = (key: unknown, target: object, prop?: string | symbol) => (R.getMetadata as (...a: unknown[]) => unknown)(key, target, prop) !== undefined;
  R.metadata = (key: unknown, value: unknown) => (target: object, prop?: string | symbol) => void table(target, prop, true)!.set(key, value);
}

export {};
