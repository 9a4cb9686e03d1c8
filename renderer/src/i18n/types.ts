/** The English catalogue must have exactly the Chinese catalogue's keys (strings may differ). */
export type Catalogue<T> = { [K in keyof T]: T[K] extends string ? string : Catalogue<T[K]> };
