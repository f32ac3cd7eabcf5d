//! Dependency cycles in an imported SBOM: real SBOMs have them (SPDX
//! `CONTAINS` against `DEPENDS_ON`, npm's mutual dependencies), and
//! Ward's software dependencies are a tree, so each is cut, with a warning,
//! at the edge that closes it.

use super::Package;
use crate::json::{ErrorKind, SupplyError};

/// Removes every edge that closes a cycle (a back edge of a depth-first
/// walk in document order) and says which.
pub(super) fn cut_cycles(packages: &mut [Package], relation: &str) -> Vec<SupplyError> {
    const NEW: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; packages.len()];
    let mut warnings = Vec::new();
    for root in 0..packages.len() {
        if state[root] != NEW {
            continue;
        }
        // (package, next edge to look at)
        let mut stack = vec![(root, 0usize)];
        state[root] = ON_PATH;
        while let Some(&mut (at, ref mut edge)) = stack.last_mut() {
            if *edge == packages[at].depends_on.len() {
                state[at] = DONE;
                stack.pop();
                continue;
            }
            let to = packages[at].depends_on[*edge];
            match state[to] {
                NEW => {
                    *edge += 1;
                    state[to] = ON_PATH;
                    stack.push((to, 0));
                }
                ON_PATH => {
                    packages[at].depends_on.remove(*edge);
                    warnings.push(SupplyError::new(
                        ErrorKind::DependencyCycle,
                        packages[at].location,
                        format!(
                            "`{}` depends on `{}`, which depends on it again: Ward cuts this edge",
                            packages[at].title(),
                            packages[to].title()
                        ),
                        format!("a dependency tree has no cycles: correct the SBOM's {relation}"),
                    ));
                }
                _ => *edge += 1,
            }
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cycle_is_cut_once_at_the_edge_that_closes_it() {
        let mut packages: Vec<Package> = (0..3)
            .map(|i| Package {
                name: format!("p{i}"),
                ..Package::default()
            })
            .collect();
        packages[0].depends_on = vec![1];
        packages[1].depends_on = vec![2];
        packages[2].depends_on = vec![0, 1];
        let warnings = cut_cycles(&mut packages, "relationships");
        assert_eq!(warnings.len(), 2);
        assert_eq!(packages[2].depends_on, Vec::<usize>::new());
        assert_eq!(packages[0].depends_on, [1]);
    }
}
