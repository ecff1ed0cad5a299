/** Error bodies the suites assert exactly. */
export const INVALID_TOKEN = {
  statusCode: 401,
  error: 'Unauthorized',
  message: 'Missing, invalid or expired bearer token',
};

export const INVALID_CREDENTIALS = {
  statusCode: 401,
  error: 'Unauthorized',
  message: 'Invalid email or password',
};
