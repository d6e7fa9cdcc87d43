package engine

import (
	"reflect"
	"testing"
	"time"
)

// The queue's element holds no pointer: its buffer (queueCap elements) is
// then memory the garbage collector never scans. A time.Time or a string
// added to arrival would bring one back.
func TestArrivalHoldsNoPointer(t *testing.T) {
	if p := pointerField(reflect.TypeOf(arrival{}), "arrival"); p != "" {
		t.Fatalf("%s holds a pointer: keep the queued arrival pointer-free", p)
	}
}

func pointerField(typ reflect.Type, path string) string {
	switch typ.Kind() {
	case reflect.Struct:
		for i := range typ.NumField() {
			f := typ.Field(i)
			if p := pointerField(f.Type, path+"."+f.Name); p != "" {
				return p
			}
		}
		return ""
	case reflect.Array:
		return pointerField(typ.Elem(), path+"[]")
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return ""
	}
	return path + " (" + typ.String() + ")"
}

// A queued arrival keeps its intended start to the nanosecond, with the
// monotonic reading of the runner's start.
func TestArrivalKeepsItsIntendedStart(t *testing.T) {
	r := &runner{start: time.Now()}
	intended := r.start.Add(1234567891)
	a := r.newArrival(intended, 5, runID{user: 3})
	if back := r.start.Add(a.intended); !back.Equal(intended) || back.Sub(r.start) != 1234567891 {
		t.Fatalf("intended %v came back as %v", intended, back)
	}
}
