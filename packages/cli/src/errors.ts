/** The error catalogue of `@evroute/cli`. */
export const cliErrors = {
  EVR_ERR_CLI_USAGE: { retriable: false, text: 'the command line is wrong; see --help' },
  EVR_ERR_CLI_CONFIG_READ: { retriable: false, text: 'the run config file cannot be read or is not JSON' },
  EVR_ERR_CLI_CONFIG_INVALID: { retriable: false, text: 'the run config fails its schema or refers to something that does not exist' },
  EVR_ERR_CLI_ADAPTER_NOT_FOUND: { retriable: false, text: 'no installed package provides the named adapter type' },
  EVR_ERR_CLI_PLUGIN_LOAD: { retriable: false, text: 'a plugin module cannot be imported or has no default-exported manifest' },
  EVR_ERR_CLI_PACK_FAILED: { retriable: false, text: 'evroute plugin pack could not bundle the package or read its plugin manifest' },
  EVR_ERR_CLI_KEY_INVALID: { retriable: false, text: 'a signing key file cannot be read or is not an Ed25519 key in PEM' },
} as const;

/** A code of the CLI catalogue. */
export type CliErrorCode = keyof typeof cliErrors;
