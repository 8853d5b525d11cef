/** The configuration lives in config/ (one module per topic); this path stays for the modules that import it. */
export * from './config/index.js';
