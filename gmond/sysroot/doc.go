// Package sysroot is the agent's view of the machine it runs on: files are
// read below a root directory (--sysroot, "/" in production) and commands
// (uname, lparstat on AIX) run through a replaceable runner, so every
// identity and metric parser can be tested on fixture trees.
package sysroot
