/** Defaults of src/config/environment.ts; the e2e setup does not change these. */
export const LOGIN_ADDRESS_LIMIT = 100;
export const LOGIN_ACCOUNT_LIMIT = 10;
export const LOGIN_BLOCK_SECONDS = 900;

export const TOO_MANY = {
  statusCode: 429,
  error: 'Too Many Requests',
  message: 'Too many login attempts; try again later',
};

/** Sends `count` invalid login attempts (400, no bcrypt work) in batches of 20. */
export async function spray(send: () => Promise<unknown>, count: number): Promise<void> {
  for (let sent = 0; sent < count; sent += 20) {
    await Promise.all(Array.from({ length: Math.min(20, count - sent) }, send));
  }
}

let addressCounter = 0;
/** A client address of its own for each call (TEST-NET-2, never routed). */
export function freshAddress(): string {
  addressCounter += 1;
  return `198.51.${Math.floor(addressCounter / 250)}.${(addressCounter % 250) + 1}`;
}
