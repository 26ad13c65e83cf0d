import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

describe('generated/graphql.ts', () => {
  it('is what codegen.yml makes of schema.graphql and operations/ (run `npm run codegen`)', () => {
    const check = spawnSync('npx', ['graphql-codegen', '--config', 'codegen.yml', '--check'], {
      cwd: join(__dirname, '..', '..'),
      encoding: 'utf8',
    });
    // On failure the output lists the stale files.
    expect({ status: check.status, output: check.stdout + check.stderr }).toMatchObject({
      status: 0,
    });
  }, 60_000);
});
