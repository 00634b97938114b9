// Package mapping reads the one TOML mapping file shared by every gmond agent
// and by gmetad: which managed system (chassis, by model_serial) is which
// Ganglia cluster on which UDP port, plus per-host exceptions and the ACLs
// gmetad applies per port. It validates the whole file at once (errors name
// file, line and key), resolves an agent's target after LPM, and watches the
// file so both daemons pick up edits without a restart.
package mapping
