//! Refusal tests of the policy: every rule has a forbidden profile refused. The tests are
//! grouped by theme in the submodules; the actor they build lives here.

mod attendance;
mod canteen;
mod classes;
mod commune;
mod liaison;
mod media;
mod progress;
mod publishing;
mod school;
mod slots;

use super::*;

fn actor(profile: Profile, director: bool, classes: &[u64]) -> Actor {
    Actor {
        user_id: 10,
        profile,
        director,
        class_ids: classes.to_vec(),
        children: Vec::new(),
        group_ids: Vec::new(),
    }
}
