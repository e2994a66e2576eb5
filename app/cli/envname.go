package cli

import (
	"fmt"
	"strings"
)

// checkEnvName refuses what --env may not name: anything but a portable variable name, and the
// variables a loader, a shell or an interpreter reads as code or as where to find code. A credential
// is the provider's text: in LD_PRELOAD, PATH or BASH_ENV it would choose what the command runs.
func checkEnvName(v string) error {
	if !validEnvName(v) {
		return fmt.Errorf("--env wants a variable name (letters, digits, _; not first a digit), not %q", v)
	}
	upper := strings.ToUpper(v)
	for _, p := range []string{"LD_", "DYLD_", "BASH_FUNC_"} {
		if strings.HasPrefix(upper, p) {
			return fmt.Errorf("--env %s: variables that begin %s steer the loader or the shell; a credential may not go there", v, p)
		}
	}
	switch upper {
	case "PATH", "IFS", "ENV", "BASH_ENV", "SHELLOPTS", "BASHOPTS", "PS4", "PROMPT_COMMAND", "CDPATH", "GLOBIGNORE",
		"GCONV_PATH", "HOSTALIASES", "LOCPATH", "NLSPATH", "TMPDIR", "HOME", "SHELL",
		"NODE_OPTIONS", "PYTHONPATH", "PYTHONSTARTUP", "PYTHONHOME", "PERL5OPT", "PERL5LIB", "RUBYOPT", "RUBYLIB",
		"JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "GIT_SSH_COMMAND", "EDITOR", "VISUAL", "PAGER":
		return fmt.Errorf("--env %s: the command, its shell or its interpreter reads %s as where to find or what to run; a credential may not go there", v, v)
	}
	return nil
}

// validEnvName reports whether v is a portable environment variable name.
func validEnvName(v string) bool {
	for i, r := range v {
		if !(r == '_' || (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z') || (i > 0 && r >= '0' && r <= '9')) {
			return false
		}
	}
	return v != ""
}
