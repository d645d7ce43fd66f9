// A small flag parser with k3s-style long flags: --name value, --name=value, booleans bare.

export interface FlagSpec {
  name: string;
  help: string;
  default?: string | number | boolean;
  type?: 'string' | 'number' | 'boolean';
}

export type Flags = Record<string, string | number | boolean | undefined>;

export function parseFlags(args: string[], specs: FlagSpec[]): { flags: Flags; rest: string[] } {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const flags: Flags = {};
  for (const s of specs) flags[s.name] = s.default;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) { rest.push(a); continue; }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    const spec = byName.get(name);
    if (!spec) throw new Error(`unknown flag: --${name} (see --help)`);
    let value: string | undefined = eq < 0 ? undefined : a.slice(eq + 1);
    if (spec.type === 'boolean') {
      flags[name] = value === undefined ? true : value !== 'false';
      continue;
    }
    if (value === undefined) {
      value = args[++i];
      if (value === undefined) throw new Error(`flag --${name} needs a value`);
    }
    if (spec.type === 'number') {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new Error(`flag --${name}: not a number: ${value}`);
      flags[name] = n;
    } else {
      flags[name] = value;
    }
  }
  return { flags, rest };
}

export function usage(command: string, summary: string, specs: FlagSpec[]): string {
  const lines = specs.map((s) => {
    const def = s.default === undefined || s.default === false ? '' : ` (default ${JSON.stringify(s.default)})`;
    return `  --${s.name}${s.type === 'boolean' ? '' : ' value'}\n      ${s.help}${def}`;
  });
  return `Usage: k8ts ${command} [flags]\n\n${summary}\n\nFlags:\n${lines.join('\n')}\n`;
}
