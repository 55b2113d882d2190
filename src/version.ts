/** The gateway's version, as package.json says (a unit test keeps the two equal); reported in traces. */
export const version = '0.1.0';
