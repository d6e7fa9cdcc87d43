// Package decimal tells numbers written in decimal notation from the
// other forms Go's parsers take. strconv.ParseFloat also reads
// hexadecimal floats (0x1p3 is 8), "inf", "infinity" and "nan" in any
// case, and strconv.ParseInt with base 0 (pflag's integer flags) reads
// 010 as 8 and 0x10 as 16. Nobody means those by a rate, a count or a
// limit on a command line or in a script, so they are refused with the
// value named rather than taken as another number.
package decimal
