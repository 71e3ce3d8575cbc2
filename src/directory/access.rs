//! Object-level rules of the directory: the account a director administers. The facts
//! about the target (who it is, whether it is a director) go to the policy, and the grant
//! comes back with the account attached, the proof the account's changes take.

use super::User;
use crate::policy::{require, Action, Actor, Forbidden, Granted};

/// `actor` may administer `user`'s account (password, state, identity, departure, merge).
pub fn administer(actor: &Actor, user: User) -> Result<Granted<User>, Forbidden> {
    require(
        actor,
        Action::AdministerAccount {
            target_user: user.id,
            target_is_director: user.is_director(),
        },
    )
    .map(|granted| granted.on(user))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::Function;
    use crate::policy::Profile;

    fn account(id: u64, functions: Vec<Function>) -> User {
        User {
            id,
            login: format!("compte{id}"),
            first_name: "Prénom".into(),
            last_name: "Nom".into(),
            usage_name: None,
            profile: Profile::Enseignant,
            functions,
            email: None,
            phone: None,
            password_hash: None,
            must_change_password: false,
            charter_version: 0,
            disabled: false,
            created_at: 0,
            reading: Default::default(),
            welcomed: false,
            leaving: None,
        }
    }

    fn actor(user_id: u64, director: bool) -> Actor {
        Actor {
            user_id,
            profile: Profile::Enseignant,
            director,
            class_ids: Vec::new(),
            children: Vec::new(),
            group_ids: Vec::new(),
        }
    }

    #[test]
    fn only_a_director_administers_and_never_themselves_or_another_director() {
        let granted = administer(&actor(1, true), account(2, Vec::new())).unwrap();
        assert_eq!(granted.object().id, 2);
        assert!(administer(&actor(3, false), account(2, Vec::new())).is_err());
        assert!(administer(&actor(1, true), account(1, vec![Function::Direction])).is_err());
        assert!(administer(&actor(1, true), account(4, vec![Function::Direction])).is_err());
    }
}
