//! The one place that decides what each role may do.

use serde::{Deserialize, Serialize};

/// A role an official holds in one community. Platform administrators are operators of the
/// installation and hold no community role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Moderator,
    Editor,
    DepartmentOfficer,
    BotOperator,
    CnapStaff,
}

/// Something an official may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Open `/admin` at all.
    EnterAdmin,
    ManageUsers,
    ManageRoles,
    ManageDepartments,
    ManageSettlements,
    ManageSettings,
    ViewAuditLog,
    /// Publish, refuse or hide what residents submit.
    Moderate,
    /// Edit the site's pages and news.
    EditContent,
    /// Work appeals assigned to one's departments.
    AnswerAppeals,
    OperateBot,
    /// Check a document at the counter and mark the account verified.
    VerifyInPerson,
    /// Keep the catalogue of services, its offices, the tiles and the cameras.
    ManageServices,
}

impl Role {
    pub const ALL: [Role; 6] =
        [Role::Admin, Role::Moderator, Role::Editor, Role::DepartmentOfficer, Role::BotOperator, Role::CnapStaff];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Moderator => "moderator",
            Role::Editor => "editor",
            Role::DepartmentOfficer => "department_officer",
            Role::BotOperator => "bot_operator",
            Role::CnapStaff => "cnap_staff",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn grants(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Admin => true,
            Role::Moderator => matches!(permission, EnterAdmin | Moderate | ViewAuditLog),
            Role::Editor => matches!(permission, EnterAdmin | EditContent | ManageServices),
            Role::DepartmentOfficer => matches!(permission, EnterAdmin | AnswerAppeals),
            Role::BotOperator => matches!(permission, EnterAdmin | OperateBot),
            Role::CnapStaff => matches!(permission, EnterAdmin | VerifyInPerson | ManageServices),
        }
    }
}

/// Whether any of `roles` grants `permission`.
pub fn allowed(roles: &[Role], permission: Permission) -> bool {
    roles.iter().any(|r| r.grants(permission))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_staff_role_enters_admin_and_only_admin_manages_roles() {
        for role in Role::ALL {
            assert!(role.grants(Permission::EnterAdmin));
            assert_eq!(role.grants(Permission::ManageRoles), role == Role::Admin);
            assert_eq!(Role::parse(role.code()), Some(role));
        }
    }

    #[test]
    fn cnap_staff_verify_but_do_not_moderate() {
        assert!(allowed(&[Role::CnapStaff], Permission::VerifyInPerson));
        assert!(allowed(&[Role::CnapStaff], Permission::ManageServices));
        assert!(!allowed(&[Role::CnapStaff], Permission::Moderate));
        assert!(!allowed(&[], Permission::EnterAdmin));
    }
}
