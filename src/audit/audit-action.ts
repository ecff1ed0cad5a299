/** Every change the audit trail records; `GET /org/audit?action=` filters by one of these. */
export enum AuditAction {
  OrganizationCreate = 'organization.create',
  OrganizationRename = 'organization.rename',
  OrganizationDelete = 'organization.delete',
  MemberInvite = 'member.invite',
  MemberAccept = 'member.accept',
  MemberRevokeInvitation = 'member.revoke_invitation',
  MemberRoleChange = 'member.role_change',
  MemberRemove = 'member.remove',
  MemberTransferOwnership = 'member.transfer_ownership',
  CredentialsEmailChange = 'credentials.email_change',
  CredentialsPasswordChange = 'credentials.password_change',
  LoginSuccess = 'auth.login.success',
  LoginFailure = 'auth.login.failure',
  SessionLogout = 'session.logout',
  SessionRefreshReuse = 'session.refresh_reuse',
  RecordsImport = 'records.import',
  RecordsBulkCreate = 'records.bulk_create',
}

/** What an entry is about. */
export enum AuditTargetType {
  Organization = 'organization',
  Admin = 'admin',
  Invitation = 'invitation',
  Session = 'session',
  Records = 'records',
}
