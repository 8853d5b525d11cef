/**
 * Fixed demo credentials, like any local emulator's. `npm run sandbox` and `npm start` print them.
 * Anything else is refused the way the real upstream refuses it.
 */
export interface CycleAccount {
  apiKey: string;
  hubId: string;
}
export interface CfAccount {
  /** A fixed bearer token (CF_TOKEN). */
  token: string;
  /** A UAA client for the `client_credentials` grant (CF_CLIENT_ID, CF_CLIENT_SECRET): its tokens expire. */
  client: { id: string; secret: string };
}
export interface DockerCloudAccount {
  username: string;
  apiKey: string;
}
export interface SandboxTenant {
  /** Seed variant: tenants with different variants see different, non-overlapping data. */
  seedVariant: number;
  cycle: CycleAccount;
  cf: CfAccount;
  dockercloud: DockerCloudAccount;
}

export const DEMO_TENANT: SandboxTenant = {
  seedVariant: 0,
  cycle: { apiKey: 'sandbox-cycle-key', hubId: '651586fca6078e98982dbd90' },
  cf: { token: 'sandbox-cf-token', client: { id: 'sandbox-cf-client', secret: 'sandbox-cf-client-secret' } },
  dockercloud: { username: 'sandbox', apiKey: 'sandbox-api-key' },
};

/**
 * A second tenant, present only when `startSandbox({ secondTenant: true })` asks for it: tests use it to prove that
 * two callers' data never cross inside the gateway.
 */
export const SECOND_TENANT: SandboxTenant = {
  seedVariant: 1,
  cycle: { apiKey: 'sandbox-cycle-key-b', hubId: '6615a0c2e4b0a1d2c3f4e5a6' },
  cf: { token: 'sandbox-cf-token-b', client: { id: 'sandbox-cf-client-b', secret: 'sandbox-cf-client-secret-b' } },
  dockercloud: { username: 'sandbox-b', apiKey: 'sandbox-api-key-b' },
};
