export * from "./errors";
export { AccessService, type ApiKey, type BootstrapResult, type IssuedApiKey, type KeyChange, type Principal } from "./access/access-service";
export { SCOPES, scopeIncludes, type Scope } from "./access/scopes";
export { MIN_KEY_LENGTH } from "./access/secrets";
export { createServices, type Services } from "./services";
