// Package safefile writes the files tagcheck produces (baselines, git
// hooks) so that a failure leaves the old file whole, a symbolic link is
// never written through, and an input is never overwritten.
package safefile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteFile replaces path with data atomically: the bytes go to a
// temporary file in the same directory, which is synced and renamed over
// path, so a full disk or a crash leaves the old file as it was. It
// refuses a path that is a symbolic link or not a regular file, and one
// that is the same file as any of inputs. A new file gets perm; an
// existing one keeps its mode.
func WriteFile(path string, data []byte, perm fs.FileMode, inputs []string) error {
	if err := checkTarget(path, inputs); err != nil {
		return err
	}
	if st, err := os.Stat(path); err == nil {
		perm = st.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	committed := false
	defer func() {
		if !committed {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Chmod(perm); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	committed = true
	return nil
}

// checkTarget refuses what WriteFile must not replace.
func checkTarget(path string, inputs []string) error {
	st, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if st.Mode()&fs.ModeSymlink != 0 {
		return fmt.Errorf("%s is a symbolic link; refusing to write through it", path)
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file; refusing to replace it", path)
	}
	for _, in := range inputs {
		if ist, err := os.Stat(in); err == nil && os.SameFile(st, ist) {
			return fmt.Errorf("%s is an input of this run (%s); refusing to overwrite it", path, in)
		}
	}
	return nil
}
