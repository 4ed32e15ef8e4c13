/** The bytes of a zip archive holding `files` in the order given (see zip.mjs). */
export function createZip(files: { name: string; data: Uint8Array }[]): Buffer;
