// A real OpenID Connect provider (the `oidc-provider` package) for Larder's tests, on
// loopback. Started and configured from the environment by tests/oidc/provider.py:
//   OIDC_PORT, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI, OIDC_POST_LOGOUT_URI,
//   OIDC_ACCOUNTS (JSON: {accountId: {email, preferred_username, groups}}).
// PKCE is required, so a client that does not send a S256 code challenge cannot sign in.
// Sign-in uses the package's development login form (any password); consent is implied
// for the one client, as for a company's own application.
import Provider from "oidc-provider";

const env = process.env;
const port = Number(env.OIDC_PORT);
const accounts = JSON.parse(env.OIDC_ACCOUNTS);
const clientId = env.OIDC_CLIENT_ID;

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [
    {
      client_id: clientId,
      client_secret: env.OIDC_CLIENT_SECRET,
      redirect_uris: [env.OIDC_REDIRECT_URI],
      post_logout_redirect_uris: [env.OIDC_POST_LOGOUT_URI],
      response_types: ["code"],
      grant_types: ["authorization_code"],
      token_endpoint_auth_method: "client_secret_post",
    },
  ],
  pkce: { required: () => true },
  scopes: ["openid", "email", "profile", "groups"],
  claims: {
    openid: ["sub"],
    email: ["email"],
    profile: ["preferred_username", "name"],
    groups: ["groups"],
  },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  cookies: { keys: ["larder-tests-only"] },
  async findAccount(ctx, id) {
    if (!accounts[id]) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...accounts[id] }) };
  },
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope("openid email profile groups");
    await grant.save();
    return grant;
  },
});

provider.on("server_error", (ctx, error) => console.error("server_error", error));
provider.listen(port, "127.0.0.1", () => console.log(`oidc-provider listening on ${port}`));
