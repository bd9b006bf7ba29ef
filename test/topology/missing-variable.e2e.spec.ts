import { afterAll, describe, expect, it } from '@jest/globals';
import type { AppService } from './compose-topology.js';
import { startTopology, type Topology } from './topology.js';

const without =
  (variable: string) =>
  (service: AppService): AppService => {
    const { [variable]: _removed, ...environment } = service.environment;
    return { ...service, environment };
  };

// What the topology test stands on: take one variable out of compose and the app refuses to start, saying which.
describe('the deployment of docker-compose.yml with a variable the apps need removed', () => {
  let topology: Topology | undefined;
  afterAll(async () => topology?.stop());

  it('waitlist without its master key (PERSONAL_DATA_MASTER_KEY_FILE) refuses to start in production, naming it', async () => {
    topology = await startTopology({
      only: ['waitlist'],
      edit: without('PERSONAL_DATA_MASTER_KEY_FILE'),
      waitHealthy: false,
    });
    const waitlist = topology.apps.get('waitlist');
    const code = await waitlist?.exited;
    console.log(`waitlist exited with ${code}:\n${waitlist?.output() ?? ''}`);
    // EX_CONFIG, and one line that names the variable: what compose's restart loop would show the operator.
    expect(code).toBe(78);
    expect(waitlist?.output()).toContain(
      'Kulturskole waitlist did not start: MasterKeyError: PERSONAL_DATA_MASTER_KEY must be set in production',
    );
  }, 120_000);
});
