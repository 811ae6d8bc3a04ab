/**
 * Lines a dev server might print, each holding one secret of a known kind. The secrets are made
 * here at run time from their prefix and filler, so no file of this repository holds anything a
 * secret scanner would take for a real key.
 */

const CHARS = 'A1b2C3d4E5f6G7h8J9k0LmNpQrStUvWxYz';

/** `n` letters and digits, mixed case, different per `seed`. */
export function filler(n: number, seed = 0): string {
  let s = '';
  for (let i = 0; i < n; i++) s += CHARS[(i * 7 + seed * 5) % CHARS.length];
  return s;
}

export interface SecretSample {
  /** What the marker says: `«redacted:<kind>»`. */
  kind: string;
  line: string;
  /** The part that must be masked (exactly this, the rest of the line stays). */
  secret: string;
}

const sample = (kind: string, before: string, secret: string, after = ''): SecretSample => ({
  kind,
  line: before + secret + after,
  secret,
});

const jwt = `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkphbmUifQ.${filler(43, 3)}`;
const github = 'gh' + 'p_' + filler(36, 1);

/** One or more samples of every kind the redactor knows. */
export const SECRET_SAMPLES: SecretSample[] = [
  sample('url-password', 'connecting to postgres://app:', 'S3cretPw', '@db.internal:5432/app'),
  sample('url-password', 'DATABASE_URL=mysql://root:', 'hunter2!x', '@127.0.0.1/shop'),
  sample('url-password', 'cache at redis://:', 'r3dis-pass', '@cache:6379/0'),
  sample('url-password', 'remote: https://deploy:', filler(24, 2), '@github.com/acme/site.git'),
  sample('url-token', 'cloning https://', filler(40, 4), '@gitlab.example.com/acme/site.git'),
  sample('authorization', 'Authorization: Bearer ', 'abc.DEF.123-xyz'),
  sample('authorization', "{ host: 'localhost', authorization: 'Basic ", 'dXNlcjpwYXNzd29yZA==', "', accept: '*/*' }"),
  sample('authorization', '{"Authorization": "token ', filler(30, 5), '"}'),
  sample('bearer', 'curl -H "X-Auth: Bearer ', filler(32, 6), '" http://localhost:8000/api'),
  sample('basic', 'proxy said: Basic ', 'YWRtaW46c2VjcmV0', ' rejected'),
  sample('aws-key', 'using key ', 'AKIA' + 'IOSFODNN7EXAMPLE', ' in us-east-1'),
  sample('secret', 'aws_secret_access_key = ', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCY' + 'EXAMPLEKEY'),
  sample('secret', '{"AccessKeyId": "ASIA123", "SecretAccessKey": "', filler(40, 7), '"}'),
  sample('github-token', 'GITHUB_TOKEN is ', github, ' (from env)'),
  sample('github-token', 'oauth ', 'gh' + 'o_' + filler(36, 8)),
  sample('github-token', 'app token ', 'gh' + 's_' + filler(36, 9), '; expires in 1h'),
  sample('github-token', 'pat=', 'github' + '_pat_' + filler(22, 10) + '_' + filler(59, 11)),
  sample('gitlab-token', 'CI uses ', 'gl' + 'pat-' + filler(20, 12)),
  sample('slack-token', 'bot: ', 'xo' + 'xb-' + '1234567890-1234567890123-' + filler(24, 13)),
  sample('slack-token', 'user: ', 'xo' + 'xp-' + '1234567890-1234567890-' + filler(32, 14)),
  sample('slack-webhook', 'posting to https://hooks.slack.com/services/', 'T0000ABCD/B0000EFGH/' + filler(24, 15)),
  sample('stripe-key', 'stripe: ', 'sk' + '_live_' + filler(24, 16)),
  sample('stripe-key', 'restricted ', 'rk' + '_live_' + filler(24, 17), ' loaded'),
  sample('stripe-key', 'test mode ', 'sk' + '_test_' + filler(24, 18)),
  sample('api-key', 'OpenAI key ', 'sk' + '-' + filler(48, 19)),
  sample('api-key', 'OPENAI_API_KEY set: ', 'sk' + '-proj-' + filler(40, 20) + '_' + filler(20, 21)),
  sample('google-api-key', 'maps ', 'AI' + 'za' + 'Sy' + filler(33, 22), ' ok'),
  sample('jwt', 'session ', jwt, ' issued'),
  sample('password', 'login password=', 'hunter2', ' user=bob'),
  sample('password', 'passwd=', 'p@55w0rd'),
  sample('password', '{"user":"bob","password":"', 'correct horse', '"}'),
  sample('password', "{'username': 'bob', 'password': '", 'tr0ub4dor', "'}"),
  sample('password', 'DB_PASSWORD: ', 'Xyz123', ' (from .env)'),
  sample('secret', 'secret=', 'letmein', '&x=1'),
  sample('secret', 'client_secret: ', filler(16, 23)),
  sample('token', 'GET /callback?code=1&access_token=', filler(20, 24), '&state=ok 302'),
  sample('token', 'token=', 'abc123', ' ok'),
  sample('key', 'api_key=', filler(32, 25)),
  sample('key', 'apikey: "', filler(20, 26), '"'),
  sample('key', 'export SENDGRID_API_KEY="', 'SG.' + filler(22, 27), '"'),
];

/** A PEM private key block, printed line by line: the lines between BEGIN and END are the secret. */
export const PRIVATE_KEY_LINES = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEpAIBAAKCAQEA' + filler(48, 28),
  filler(64, 29),
  filler(40, 30) + '==',
  '-----END RSA PRIVATE KEY-----',
];
