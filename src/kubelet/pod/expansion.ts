// $(VAR) references in env values, command and args, expanded as Kubernetes does: a defined
// variable is replaced by its value, an undefined one is left as written, `$$` stands for a
// literal `$`, and an unterminated `$(` stays as it is.

export function expand(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  let checkpoint = 0;
  for (let i = 0; i < input.length; i++) {
    if (input[i] !== '$' || i + 1 >= input.length) continue;
    out += input.slice(checkpoint, i);
    const next = input[i + 1];
    let advance = 1;
    if (next === '$') {
      out += '$';
    } else if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) {
        out += '$(';
      } else {
        const name = input.slice(i + 2, close);
        const value = lookup(name);
        out += value ?? `$(${name})`;
        advance = close - i;
      }
    } else {
      out += '$' + next;
    }
    i += advance;
    checkpoint = i + 1;
  }
  return out + input.slice(checkpoint);
}

/** A lookup over several maps, the first holding the name winning. */
export function lookupIn(...maps: Array<Map<string, string> | Record<string, string>>): (name: string) => string | undefined {
  return (name) => {
    for (const m of maps) {
      const v = m instanceof Map ? m.get(name) : Object.prototype.hasOwnProperty.call(m, name) ? m[name] : undefined;
      if (v !== undefined) return v;
    }
    return undefined;
  };
}
