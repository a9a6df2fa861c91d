/** Segments' public face: other modules reach segments through the membership engine (audiences), so nothing is exported yet. */
export {}
