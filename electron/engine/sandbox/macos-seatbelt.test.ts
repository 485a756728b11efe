/**
 * The Seatbelt profile cannot run here (Linux CI); these check how it is put together:
 * paths travel only as -D parameters, every parameter the profile names is defined, and
 * network is denied unless allowed.
 */
import { describe, expect, it } from 'vitest';
import { seatbeltArgv } from './macos-seatbelt';

const masks = { around: [{ path: '/Users/me', dir: true }], inside: [{ path: '/Users/me/proj/"x") (allow default', dir: false }] };

function parse(network: boolean) {
  const argv = seatbeltArgv({ workspace: '/Users/me/proj', network, masks });
  const params = new Map<string, string>();
  for (let i = 1; i < argv.length - 2; i += 2) {
    expect(argv[i]).toBe('-D');
    const [name, ...value] = (argv[i + 1] as string).split('=');
    params.set(name as string, value.join('='));
  }
  expect(argv[argv.length - 2]).toBe('-p');
  return { program: argv[0], params, profile: argv[argv.length - 1] as string };
}

describe('seatbeltArgv', () => {
  it('passes paths as parameters only, each one the profile names', () => {
    const { program, params, profile } = parse(false);
    expect(program).toBe('/usr/bin/sandbox-exec');
    expect(params.get('WORKSPACE')).toBe('/Users/me/proj');
    expect([...params.values()]).toContain('/Users/me/proj/"x") (allow default');
    expect(profile).not.toContain('/Users/me');
    const named = [...profile.matchAll(/\(param "([A-Z_0-9]+)"\)/g)].map((m) => m[1]);
    expect(new Set(named)).toEqual(new Set(params.keys()));
    expect(profile).toMatch(/\(deny file-read\* \(subpath \(param "HIDDEN_\d+"\)\)\)\n\(allow file-read\* \(subpath \(param "WORKSPACE"\)\)\)/);
    expect(profile).toMatch(/\(deny file-read\* file-write\* \(literal \(param "HIDDEN_\d+"\)\)\)/);
  });

  it('denies the network unless the phase allows it', () => {
    expect(parse(false).profile).toContain('(deny network*)');
    expect(parse(true).profile).not.toContain('network');
  });
});
