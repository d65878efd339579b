/** The stamp file, relative to the package root. */
export declare const STAMP: string;
/** The newest modification time (ms) of the build's sources under `root`. */
export declare function newestSource(root: string): number;
/** Whether `root`/dist holds a build of the sources on disk. */
export declare function buildIsCurrent(root: string): boolean;
