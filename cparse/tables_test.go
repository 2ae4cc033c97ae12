package cparse

import "testing"

// TestStoredThroughTables: a function named as a value in a file-scope
// table (blanked before parsing, its names read lexically) is handed
// out; one named only as a member, a struct tag, in a string or a
// comment is not.
func TestStoredThroughTables(t *testing.T) {
	src := `struct ops { void (*run)(void); void (*member)(void); int n; };
static void run_cb(void) { }
static void member(void) { }
static void tag(void) { }
static void quoted(void) { }
static void commented(void) { }
static void in_macro(void) { }
static void cast_away(void) { }
static void called(void) { }
static const struct ops table = {
	.run = run_cb,
	.member = 0, /* commented */
	.n = sizeof(struct tag) + sizeof("quoted"),
};
static void *ptrs[] = { (void *)cast_away, WRAP(in_macro) };
int main(void) { called(); return 0; }
`
	cf, err := ParseC("tables.c", []byte(src), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"run_cb": true, "in_macro": true, "cast_away": true}
	for _, fn := range cf.Funcs {
		if fn.Stored != want[fn.Name] {
			t.Errorf("%s: Stored = %v, want %v", fn.Name, fn.Stored, want[fn.Name])
		}
	}
	if len(cf.Funcs) != 9 {
		t.Errorf("%d functions lowered, want 9", len(cf.Funcs))
	}
}

// TestTablesKeepFunctions: after file-scope macros tree-sitter cannot
// parse, the blanked table let its error recovery swallow the functions
// that follow (sound/soc/codecs/cs35l36.c, in small); the file is parsed
// again whole and keeps them.
func TestTablesKeepFunctions(t *testing.T) {
	src := `static const DECLARE_TLV_DB_RANGE(dig_vol_tlv, 0, 912,
				  TLV_DB_MINMAX_ITEM(-10200, 1200));
static DECLARE_TLV_DB_SCALE(amp_gain_tlv, 0, 1, 1);

static const char * const ramp_text[] =  {
	"Off", ".5ms", "1ms", "2ms", "4ms", "8ms", "15ms", "30ms"};

static SOC_ENUM_SINGLE_DECL(ramp_enum, AMP_DIG_VOL_CTRL, 0,
			    ramp_text);

static int sel_get(struct kcontrol *kcontrol,
		   struct value *ucontrol)
{
	struct component *component = kcontrol_component(kcontrol);

	ucontrol->value[0] = component->mode;
	return 0;
}

static int sel_put(struct kcontrol *kcontrol,
		   struct value *ucontrol)
{
	struct component *component = kcontrol_component(kcontrol);

	component->mode = ucontrol->value[0];
	return 0;
}
`
	cf, err := ParseC("codec.c", []byte(src), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, fn := range cf.Funcs {
		names = append(names, fn.Name)
	}
	if len(names) != 2 || names[0] != "sel_get" || names[1] != "sel_put" {
		t.Errorf("functions %v, want [sel_get sel_put]", names)
	}
}
