//go:build !race

package udprecv

const raceEnabled = false
