// Package movelog rebuilds gmetad's LPM move history from the RRD tree when
// the state file holds none (missing, damaged, or written before moves were
// kept). Scan reads the facts: each managed system's links to host
// directories with the links' own modification times, and the newest RRD
// update of the hosts and systems concerned. Rebuild turns them into moves;
// it is a pure function, and nothing here writes to the tree.
//
// # The rule
//
// gmetad makes the link <system>/<host> -> ../<lpar_dir>/<host> when it
// first hears the host on that system's port (rrdstore.Tree.HostDir), with
// one symlink(2), and never touches it again: the link's own mtime, as
// lstat(2) reports it, is the time the host arrived there. So, for each host
// linked from two systems or more:
//
//  1. A link is evidence only if there is data newer than it: the host's
//     newest RRD update and the system's newest summary update must both be
//     at or after the link's time (less Options.Grace, for the whole seconds
//     RRD updates are stamped with). gmetad writes the host's files and the
//     system's summary at every step after it hears the host there, so a
//     link with nothing newer was made by someone else (by hand, by a
//     script, by a restore of an old tree). When a time is unknown (no RRD
//     readable, or Scan told not to read them) that check is not made.
//  2. The remaining links, oldest first, are the systems the host arrived
//     on in that order. The first is where it was first heard, not a move.
//     Each later link is a move from the system of the link before it to its
//     own, at its time. So the system holding the newest link is where the
//     host went last.
//  3. Links of one host less than Options.Tie apart were made together,
//     not by moves (a tool converting a tree makes them in one go): none of
//     them is a move, and the link after such a group is not one either,
//     since which system the host left is unknown. The move after that one is
//     a move again.
//
// Moves come out oldest first (ties by host name, then system), named by
// the directory names: a host's directory name is its host name as the
// persister spells it (lower-cased with case_sensitive_hostnames off).
// Everything left out is listed in History.Skipped with the reason.
//
// # Limits
//
//   - A return to a system the host had been on before makes no new link, so
//     A → B → A reads as A → B and the host is placed on B. Its first packet
//     after the restart puts it right, but the return itself is lost.
//   - Links made or replaced by tools carry the tool's time: ganglia-lpm
//     migrate (which converts one system after another, so one host's links
//     may be minutes apart), ganglia-lpm check --fix when it rewrites a
//     link, a restore or copy that does not keep symlink times, a seed tree
//     linked by hand. Rule 1 catches only such links with no data after
//     them; the others give moves at the tool's time.
//   - A host's first move within Tie of its first link is lost (rule 3).
//   - A system whose directory was removed, or a link removed by hand, takes
//     its moves with it; a link to a host directory of another name is not
//     recognised.
//   - Keys (the hosts' addresses) are not in the tree: rebuilt moves have
//     none.
//   - With rrdcached the files' headers lag behind the updates rrdcached
//     still holds; the caller should not read RRDs then (ScanOptions).
package movelog
