// A set of field paths, stored as a tree: at each node, the elements that are members themselves
// and the elements that lead to deeper members. A node can be both (FieldsV1 writes `.` for that),
// which is how "the container named nginx" and "its image" are owned separately.
import {
  FieldPathError, compareElements, elementKey, parseElementKey, pathString,
  type Path, type PathElement,
} from './path.js';

interface Child {
  pe: PathElement;
  set: FieldSet;
}

export class FieldSet {
  private readonly members = new Map<string, PathElement>();
  private readonly children = new Map<string, Child>();

  static of(...paths: Path[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  /** Adds a path as a member; the empty path (the whole object) is never tracked. */
  insert(path: Path): void {
    if (path.length === 0) return;
    let node: FieldSet = this;
    for (let i = 0; i < path.length - 1; i++) node = node.descend(path[i]);
    const last = path[path.length - 1];
    node.members.set(elementKey(last), last);
  }

  private descend(pe: PathElement): FieldSet {
    const k = elementKey(pe);
    let c = this.children.get(k);
    if (!c) {
      c = { pe, set: new FieldSet() };
      this.children.set(k, c);
    }
    return c.set;
  }

  /** True when the path itself is a member (not merely a prefix of members). */
  has(path: Path): boolean {
    if (path.length === 0) return false;
    let node: FieldSet | undefined = this;
    for (let i = 0; i < path.length - 1 && node; i++) node = node.children.get(elementKey(path[i]))?.set;
    return !!node && node.members.has(elementKey(path[path.length - 1]));
  }

  /** True when the element is a member at this level. */
  hasMember(pe: PathElement): boolean {
    return this.members.has(elementKey(pe));
  }

  /** The members below an element, relative to it (empty when there are none). */
  withPrefix(pe: PathElement): FieldSet {
    return this.children.get(elementKey(pe))?.set ?? new FieldSet();
  }

  /** The elements that are members at this level. */
  memberElements(): PathElement[] {
    return [...this.members.values()];
  }

  /** The elements at this level that lead to deeper members. */
  childElements(): PathElement[] {
    return [...this.children.values()].map((c) => c.pe);
  }

  isEmpty(): boolean {
    return this.members.size === 0 && this.children.size === 0;
  }

  /** Number of member paths. */
  size(): number {
    let n = this.members.size;
    for (const c of this.children.values()) n += c.set.size();
    return n;
  }

  copy(): FieldSet {
    const s = new FieldSet();
    for (const [k, pe] of this.members) s.members.set(k, pe);
    for (const [k, c] of this.children) s.children.set(k, { pe: c.pe, set: c.set.copy() });
    return s;
  }

  union(o: FieldSet): FieldSet {
    const s = this.copy();
    s.addAll(o);
    return s;
  }

  private addAll(o: FieldSet): void {
    for (const [k, pe] of o.members) this.members.set(k, pe);
    for (const [k, c] of o.children) {
      const mine = this.children.get(k);
      if (mine) mine.set.addAll(c.set);
      else this.children.set(k, { pe: c.pe, set: c.set.copy() });
    }
  }

  intersection(o: FieldSet): FieldSet {
    const s = new FieldSet();
    for (const [k, pe] of this.members) if (o.members.has(k)) s.members.set(k, pe);
    for (const [k, c] of this.children) {
      const theirs = o.children.get(k);
      if (!theirs) continue;
      const sub = c.set.intersection(theirs.set);
      if (!sub.isEmpty()) s.children.set(k, { pe: c.pe, set: sub });
    }
    return s;
  }

  /** True when some member of this set is a member of o. */
  intersects(o: FieldSet): boolean {
    const [small, large] = this.members.size <= o.members.size ? [this.members, o.members] : [o.members, this.members];
    for (const k of small.keys()) if (large.has(k)) return true;
    for (const [k, c] of this.children) {
      const theirs = o.children.get(k);
      if (theirs && c.set.intersects(theirs.set)) return true;
    }
    return false;
  }

  /** Members of this set that are not members of o (a member of o does not remove deeper paths). */
  difference(o: FieldSet): FieldSet {
    const s = new FieldSet();
    for (const [k, pe] of this.members) if (!o.members.has(k)) s.members.set(k, pe);
    for (const [k, c] of this.children) {
      const theirs = o.children.get(k);
      const sub = theirs ? c.set.difference(theirs.set) : c.set.copy();
      if (!sub.isEmpty()) s.children.set(k, { pe: c.pe, set: sub });
    }
    return s;
  }

  /** Like difference, but a member of o also removes every path below it. */
  recursiveDifference(o: FieldSet): FieldSet {
    const s = new FieldSet();
    for (const [k, pe] of this.members) if (!o.members.has(k)) s.members.set(k, pe);
    for (const [k, c] of this.children) {
      if (o.members.has(k)) continue;
      const theirs = o.children.get(k);
      const sub = theirs ? c.set.recursiveDifference(theirs.set) : c.set.copy();
      if (!sub.isEmpty()) s.children.set(k, { pe: c.pe, set: sub });
    }
    return s;
  }

  equals(o: FieldSet): boolean {
    if (this.members.size !== o.members.size || this.children.size !== o.children.size) return false;
    for (const k of this.members.keys()) if (!o.members.has(k)) return false;
    for (const [k, c] of this.children) {
      const theirs = o.children.get(k);
      if (!theirs || !c.set.equals(theirs.set)) return false;
    }
    return true;
  }

  /** Every member path: at each level the members first, then the deeper ones, each in sorted order. */
  paths(): Path[] {
    const out: Path[] = [];
    this.collect([], out);
    return out;
  }

  private collect(prefix: PathElement[], out: Path[]): void {
    for (const pe of sortedElements(this.members.values())) out.push([...prefix, pe]);
    for (const c of sortedChildren(this.children.values())) {
      prefix.push(c.pe);
      c.set.collect(prefix, out);
      prefix.pop();
    }
  }

  /** The member paths as Kubernetes prints them: `.spec.replicas`, `.spec.containers[name="nginx"].image`. */
  toPaths(): string[] {
    return this.paths().map(pathString);
  }

  /** The FieldsV1 document (the `fieldsV1` of a managedFields entry), keys in Kubernetes' order. */
  toFieldsV1(): Record<string, unknown> {
    return this.emit(false);
  }

  private emit(self: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (self) out['.'] = {};
    const entries: Array<{ pe: PathElement; member: boolean; child?: FieldSet }> = [];
    for (const [k, pe] of this.members) entries.push({ pe, member: true, child: this.children.get(k)?.set });
    for (const [k, c] of this.children) if (!this.members.has(k)) entries.push({ pe: c.pe, member: false, child: c.set });
    entries.sort((a, b) => compareElements(a.pe, b.pe));
    for (const e of entries) out[elementKey(e.pe)] = e.child ? e.child.emit(e.member) : {};
    return out;
  }

  /** Reads a FieldsV1 document; throws FieldPathError when it is malformed. */
  static fromFieldsV1(doc: unknown): FieldSet {
    const s = new FieldSet();
    if (doc === undefined || doc === null) return s;
    if (typeof doc !== 'object' || Array.isArray(doc)) throw new FieldPathError('fieldsV1 must be a JSON object');
    s.read(doc as Record<string, unknown>);
    return s;
  }

  /** Fills this node from a document; true when the node itself is a member. */
  private read(doc: Record<string, unknown>): boolean {
    let self = false;
    for (const [k, v] of Object.entries(doc)) {
      if (k === '.') {
        self = true;
        continue;
      }
      const pe = parseElementKey(k);
      if (!pe) continue;
      if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new FieldPathError(`fieldsV1: value of ${JSON.stringify(k)} must be an object`);
      const child = new FieldSet();
      const isMember = child.read(v as Record<string, unknown>);
      const key = elementKey(pe);
      if (isMember) this.members.set(key, pe);
      if (!child.isEmpty()) {
        const mine = this.children.get(key);
        if (mine) mine.set.addAll(child);
        else this.children.set(key, { pe, set: child });
      }
    }
    // A node written as `{}` is a leaf member; one with children is a member only when it says `.`.
    return self || this.isEmpty();
  }
}

function sortedElements(pes: Iterable<PathElement>): PathElement[] {
  return [...pes].sort(compareElements);
}

function sortedChildren(cs: Iterable<Child>): Child[] {
  return [...cs].sort((a, b) => compareElements(a.pe, b.pe));
}
