/** The package's version, written in at build time (tsup.config.ts). */
declare const __CLI_VERSION__: string;
