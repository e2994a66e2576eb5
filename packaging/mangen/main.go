// Command mangen writes tokentray(1) from the command table, for the packages:
//
//	go run ./packaging/mangen VERSION DATE > tokentray.1
package main

import (
	"fmt"
	"os"

	"tokentray/app/cli/commands"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: mangen VERSION DATE")
		os.Exit(2)
	}
	fmt.Print(commands.Manual(os.Args[1], os.Args[2]))
}
