//go:build !unix

package browser

import (
	"os"
	"syscall"
	"time"
)

func procAttr() *syscall.SysProcAttr { return nil }

// killGroup kills p; without process groups its helpers end when it does.
func killGroup(p *os.Process) { _ = p.Kill() }

func killStragglers(int, string, time.Duration) {}
