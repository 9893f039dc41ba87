"""Authentication and authorization: credentials, tokens, roles and view access markers."""
