package rules

import (
	"reflect"
	"testing"
)

// setWith returns a clone of the default packs with ps added.
func setWith(t *testing.T, ps ...*Pair) *Set {
	t.Helper()
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	s = s.Clone()
	for _, p := range ps {
		s.AddPair(p)
	}
	return s
}

// readOf returns the reads of what calls asks of a traced view of s.
func readOf(s *Set, calls func(*Set)) *Reads {
	r := &Reads{}
	calls(s.Traced(r))
	r.Trim()
	return r
}

// TestSumCoversEveryPairField: a pair that differs from another in any
// one field answers differently, so no memo keyed by Sum mistakes one
// for the other. A field added to Pair and not to the encoder fails here.
func TestSumCoversEveryPairField(t *testing.T) {
	base := Pair{Name: "grab", Acquire: []string{"grab"}, Release: []string{"drop"}, Mode: Exclusive, When: Always}
	ask := func(s *Set) { s.Acquires("grab"); s.Releases("drop") }
	want := setWith(t, base.Clone())
	reads := readOf(want, ask)
	sum := want.Sum(reads)
	typ := reflect.TypeOf(base)
	for i := 0; i < typ.NumField(); i++ {
		p := base.Clone()
		v := reflect.ValueOf(p).Elem().Field(i)
		switch v.Kind() {
		case reflect.String:
			v.SetString(v.String() + "x")
		case reflect.Bool:
			v.SetBool(!v.Bool())
		case reflect.Slice:
			v.Set(reflect.Append(v, reflect.ValueOf("x")))
		default:
			t.Fatalf("Pair.%s: a %s the encoder does not know", typ.Field(i).Name, v.Kind())
		}
		if name := typ.Field(i).Name; name == "Acquire" || name == "Release" {
			continue // the pair then answers another name
		}
		if got := setWith(t, p).Sum(reads); got == sum {
			t.Errorf("Pair.%s changed, Sum did not", typ.Field(i).Name)
		}
	}
}

func TestSumCoversEveryTaggedField(t *testing.T) {
	base := TaggedField{Struct: "s", Field: "f", Mask: "1"}
	sumOf := func(tf TaggedField) [32]byte {
		s := setWith(t)
		s.AddTagged(&tf)
		return s.Sum(readOf(s, func(s *Set) { s.TaggedField("s", "f") }))
	}
	sum := sumOf(base)
	typ := reflect.TypeOf(base)
	for i := 0; i < typ.NumField(); i++ {
		tf := base
		v := reflect.ValueOf(&tf).Elem().Field(i)
		switch v.Kind() {
		case reflect.String:
			v.SetString(v.String() + "x")
		case reflect.Slice:
			v.Set(reflect.Append(v, reflect.ValueOf("x")))
		default:
			t.Fatalf("TaggedField.%s: a %s the encoder does not know", typ.Field(i).Name, v.Kind())
		}
		if sumOf(tf) == sum {
			t.Errorf("TaggedField.%s changed, Sum did not", typ.Field(i).Name)
		}
	}
}

// TestSumOnlyWhatWasRead: entries the computation did not ask for do not
// change its Sum; those it asked for, even when they were empty, do.
func TestSumOnlyWhatWasRead(t *testing.T) {
	ask := func(s *Set) { s.Acquires("grab"); s.Neutral("log"); s.Releases("nothing_yet"); s.TrueFor("is_big") }
	a := setWith(t, &Pair{Name: "grab", Acquire: []string{"grab"}, Release: []string{"drop"}})
	reads := readOf(a, ask)
	if reads.Len() != 4 {
		t.Fatalf("%d entries read, want 4", reads.Len())
	}
	other := setWith(t, &Pair{Name: "grab", Acquire: []string{"grab"}, Release: []string{"drop"}}, &Pair{Name: "unasked", Neutral: true})
	if a.Sum(reads) != other.Sum(reads) {
		t.Errorf("an entry not read changed the Sum")
	}
	for _, p := range []*Pair{
		{Name: "log", Neutral: true},
		{Name: "nothing_yet", Release: []string{"nothing_yet"}},
		{Name: "is_big", TrueFor: []string{"2"}}, // a predicate learned after the walk
	} {
		b := setWith(t, &Pair{Name: "grab", Acquire: []string{"grab"}, Release: []string{"drop"}}, p)
		if a.Sum(reads) == b.Sum(reads) {
			t.Errorf("%s: an entry read, then empty, now set: Sum unchanged", p.Name)
		}
	}
}

// TestSumSharing: one pair answering two names is not two equal pairs
// (a walk may tell them apart by identity).
func TestSumSharing(t *testing.T) {
	ask := func(s *Set) { s.Acquires("a"); s.Acquires("b") }
	one := &Pair{Name: "a", Acquire: []string{"a", "b"}, Release: []string{"u"}}
	shared := setWith(t, one)
	two := setWith(t, one)
	two.byAcquire["b"] = []*Pair{one.Clone()} // same content, another pair
	reads := readOf(shared, ask)
	if shared.Sum(reads) == two.Sum(reads) {
		t.Errorf("one pair for two names and two equal pairs gave one Sum")
	}
}

// TestPairClone: the copy shares no list with the original.
func TestPairClone(t *testing.T) {
	p := &Pair{Acquire: []string{"a"}, Release: []string{"r"}, Resources: []string{"$0"}, Takes: []string{"t"}, Links: []string{"l"}}
	c := p.Clone()
	c.Acquire[0], c.Release[0], c.Resources[0], c.Takes[0], c.Links[0] = "", "", "", "", ""
	if !reflect.DeepEqual(p, &Pair{Acquire: []string{"a"}, Release: []string{"r"}, Resources: []string{"$0"}, Takes: []string{"t"}, Links: []string{"l"}}) {
		t.Errorf("changing the clone changed the original: %+v", p)
	}
}
