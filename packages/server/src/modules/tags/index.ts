/** Tags' public face: other modules reach tags through the membership engine (audiences), so nothing is exported yet. */
export {}
