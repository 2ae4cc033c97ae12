package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tagcheck/tagcheck/internal/testenv"
)

func TestCCArgs(t *testing.T) {
	// What kbuild passes to $(CHECK) for fs/proc/base.c (abridged).
	args := strings.Fields(`-D__linux__ -Dlinux -D__STDC__ -Dunix -D__unix__ -Wbitwise -Wno-return-void -Wno-unknown-attribute -D__x86_64__ --arch=x86 -mlittle-endian -m64
		-Wp,-MMD,fs/proc/.base.o.d -nostdinc -I./arch/x86/include -I./arch/x86/include/generated -I./include -include ./include/linux/compiler-version.h
		-include ./include/linux/kconfig.h -D__KERNEL__ -fmacro-prefix-map=./= -Wall -Wundef -std=gnu11 -fno-PIE -mno-sse --param=allow-store-data-races=0
		-O2 -D KBUILD_MODFILE="fs/proc/proc" -DKBUILD_BASENAME="base" -I include -isystem /usr/lib/gcc/x86_64-linux-gnu/12/include fs/proc/base.c`)
	own, files, err := ccArgs(append(args, "--fail-on-findings", "--format", "json"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(files, []string{"fs/proc/base.c"}) || !slices.Equal(own, []string{"--fail-on-findings", "--format", "json"}) {
		t.Errorf("files %q, own flags %q", files, own)
	}
	for _, bad := range [][]string{{"-I./include"}, {"-include"}, {"-DX", "foo.o"}} {
		if _, _, err := ccArgs(bad); err == nil {
			t.Errorf("ccArgs(%q) must fail", bad)
		}
	}
}

// TestE2ECC runs tagcheck cc as the compiler-style checker, on our small
// driver, the way kbuild calls it.
func TestE2ECC(t *testing.T) {
	tmp := t.TempDir()
	f := filepath.Join(tmp, "drivers", "foo", "foo.c")
	copyFile(t, e2eData(t, "git/foo-v3.c"), f)
	flags := []string{"-D__KERNEL__", "-I./include", "-include", "./include/linux/kconfig.h", "-Wp,-MMD,drivers/foo/.foo.o.d", "-m64", "-fno-PIE", "-std=gnu11"}
	r := tc(t, tmp, nil, append(append([]string{"cc"}, flags...), "drivers/foo/foo.c")...)
	wantCode(t, r, 0) // findings are warnings: the build goes on
	if r.stdout != "" || !strings.Contains(r.stderr, "drivers/foo/foo.c:28:3: lockpair/mismatched-release") {
		t.Errorf("cc:\n%s", r)
	}
	scan := tc(t, tmp, nil, "scan", "drivers/foo/foo.c")
	if scan.stdout != r.stderr {
		t.Errorf("cc and scan differ:\n%s\n%s", r, scan)
	}
	wantCode(t, tc(t, tmp, nil, append(append([]string{"cc", "--fail-on-findings"}, flags...), "drivers/foo/foo.c")...), 1)
	wantCode(t, tc(t, tmp, nil, append(append([]string{"scan", "--sparse-compat"}, flags...), "drivers/foo/foo.c")...), 0)
	oneLineError(t, tc(t, tmp, nil, append([]string{"cc"}, flags...)...), "no C file")
	oneLineError(t, tc(t, tmp, nil, "cc", "-Wall", "drivers/foo/nosuch.c"), "nosuch.c")
}

// TestE2EKernelBuild builds a few objects of the Linux 6.1 tree (out of
// tree, in a temporary O= directory; the tree is not written) with
// make C=2 CHECK="tagcheck cc", and compares what make printed with
// tagcheck scan of the same files. It needs the tree and the kernel's
// build tools (make, gcc, flex, bison, bc, libelf), and minutes: it runs
// only with TAGCHECK_KBUILD=1 (.ci/run sets it).
func TestE2EKernelBuild(t *testing.T) {
	if os.Getenv("TAGCHECK_KBUILD") == "" {
		t.Skip("set TAGCHECK_KBUILD=1 to build fs/ objects of the Linux 6.1 tree with make C=2 CHECK=\"tagcheck cc\" (minutes)")
	}
	kernel := testenv.KernelTree(t)
	for _, tool := range []string{"make", "gcc", "flex", "bison", "bc"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (apt-get install make gcc flex bison bc libelf-dev); skipping the kernel build", tool)
		}
	}
	if _, err := os.Stat("/usr/include/gelf.h"); err != nil {
		t.Skip("libelf-dev is not installed (objtool needs gelf.h); skipping the kernel build")
	}
	bin := tagcheckBin(t)
	build := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	makeIn := func(args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(ctx, "make", append([]string{"-C", kernel, "O=" + build, "-j2"}, args...)...)
		cmd.Env = append(os.Environ(), "NO_COLOR=1", "ARCH=x86_64", "LC_ALL=C")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("make %v: %v\n%s", args, err, tail(string(out), 40))
		}
		return string(out)
	}
	start := time.Now()
	makeIn("-s", "defconfig")
	objs := []string{"fs/dcache.o", "fs/namespace.o", "fs/debugfs/file.o", "fs/debugfs/inode.o"}
	out := makeIn(append([]string{"C=2", "CHECK=" + bin + " cc"}, objs...)...)
	t.Logf("defconfig and %d objects with C=2 in %v", len(objs), time.Since(start).Round(time.Second))

	finding := regexp.MustCompile(`^(\S+):\d+:\d+: (lockpair|taggedptr)/`)
	var fromMake []string
	for _, l := range strings.Split(out, "\n") {
		if finding.MatchString(l) {
			fromMake = append(fromMake, l)
		}
	}
	var fromScan []string
	for _, o := range objs {
		src := filepath.Join(kernel, strings.TrimSuffix(o, ".o")+".c")
		if !strings.Contains(out, "CHECK   "+src) {
			t.Errorf("make did not run the checker on %s:\n%s", src, tail(out, 40))
		}
		r := tc(t, kernel, nil, "scan", "--terse", src)
		for _, l := range strings.Split(r.stdout, "\n") {
			if finding.MatchString(l) {
				fromScan = append(fromScan, l)
			}
		}
	}
	slices.Sort(fromMake)
	slices.Sort(fromScan)
	if len(fromScan) == 0 {
		t.Fatal("tagcheck scan finds nothing in these files: the comparison would prove nothing")
	}
	if !slices.Equal(fromMake, fromScan) {
		t.Errorf("make C=2 CHECK=tagcheck cc printed\n%s\ntagcheck scan printed\n%s", strings.Join(fromMake, "\n"), strings.Join(fromScan, "\n"))
	}
	t.Logf("%d findings, the same from make and from scan:\n%s", len(fromMake), strings.Join(fromMake, "\n"))
}

func tail(s string, n int) string {
	ls := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(ls) > n {
		ls = ls[len(ls)-n:]
	}
	return strings.Join(ls, "\n")
}
