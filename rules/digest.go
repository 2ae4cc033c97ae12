package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/tagcheck/tagcheck/internal/limits"
)

// go vet caches an analyzer's results by the vet tool's build ID and its
// flags, not by the contents of the files flags name, so an edited rule
// pack would leave cached packages with their old results. Each analyzer
// therefore takes a -NAME.rules_digest flag beside -NAME.rules, whose
// value changes with the files; both analyzers check it here.

// DigestUsage is the usage text of the analyzer's rules_digest flag.
func DigestUsage(analyzer string) string {
	return "hex SHA-256 (8 or more leading digits) of the -" + analyzer + ".rules files' contents concatenated in order; " +
		"go vet caches results by flags, so set it whenever -" + analyzer + ".rules is used under go vet: $(cat FILE... | sha256sum | cut -c1-16)"
}

// FileDigest is the hex SHA-256 of the files' contents concatenated in
// order: the value a rules_digest flag abbreviates.
func FileDigest(files []string) (string, error) {
	h := sha256.New()
	for _, f := range files {
		data, err := limits.ReadFile(f, "", limits.DefaultInput)
		if err != nil {
			return "", err
		}
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// CheckDigest checks the analyzer's -NAME.rules_digest value against the
// files given with -NAME.rules. An empty digest is not checked; a wrong
// one is an error naming the right value, so a stale digest never passes
// silently.
func CheckDigest(analyzer string, files []string, digest string) error {
	if digest == "" {
		return nil
	}
	if len(files) == 0 {
		return fmt.Errorf("%s: -%s.rules_digest given without -%s.rules", analyzer, analyzer, analyzer)
	}
	got, err := FileDigest(files)
	if err != nil {
		return fmt.Errorf("%s: rules: %w", analyzer, err)
	}
	want := strings.ToLower(strings.TrimSpace(digest))
	if len(want) < 8 || !strings.HasPrefix(got, want) {
		return fmt.Errorf("%s: -%s.rules_digest=%s does not match %s, whose digest is %s: "+
			"go vet caches results by flag values, so pass the current digest (-%s.rules_digest=%s)",
			analyzer, analyzer, digest, strings.Join(files, ","), got[:16], analyzer, got[:16])
	}
	return nil
}
