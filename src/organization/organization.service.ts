import {
  BadRequestException,
  ForbiddenException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { Types } from 'mongoose';
import { AuditAction, AuditTargetType } from '../audit/audit-action';
import { AuditTrail, type AuditChange } from '../audit/audit-trail.service';
import { AdminRepository, type CredentialChange } from '../auth/admin.repository';
import type { AuthenticatedAdmin } from '../auth/authenticated-admin';
import { PasswordHasher } from '../auth/password-hasher.service';
import { EmailClaimRepository } from '../auth/email-claim.repository';
import { SessionService } from '../auth/session.service';
import type { Admin } from '../auth/schemas/admin.schema';
import { isMongoError, MongoErrorCode } from '../common/mongo-errors';
import { CreateOrganizationDto } from './dto/create-organization.dto';
import { OrganizationResponseDto, toOrganizationResponse } from './dto/organization-response.dto';
import { UpdateOrganizationResponseDto } from './dto/update-organization-response.dto';
import { UpdateOrganizationDto } from './dto/update-organization.dto';
import { FailurePoints } from './lifecycle/failure-points';
import { OrganizationLifecycle } from './lifecycle/organization-lifecycle.service';
import { NameClaimRepository } from './name-claim.repository';
import { emailTaken, nameTaken, rethrowDuplicateAs } from './organization-conflicts';
import { OrganizationRepository } from './organization.repository';
import { Organization, OrganizationStatus } from './schemas/organization.schema';

@Injectable()
export class OrganizationService {
  constructor(
    private readonly organizations: OrganizationRepository,
    private readonly lifecycle: OrganizationLifecycle,
    private readonly admins: AdminRepository,
    private readonly passwords: PasswordHasher,
    private readonly sessions: SessionService,
    private readonly names: NameClaimRepository,
    private readonly emails: EmailClaimRepository,
    private readonly failurePoints: FailurePoints,
    private readonly audit: AuditTrail,
  ) {}

  /**
   * A taken name or email is refused before the password is hashed, so a flood of creates
   * that cannot succeed costs two `_id` reads each, not a bcrypt hash. The lifecycle's
   * claims still decide a race between two creates that both got past this check.
   */
  async create(dto: CreateOrganizationDto): Promise<OrganizationResponseDto> {
    const [nameHolder, emailHolder] = await Promise.all([
      this.names.holderOf(dto.organization_name),
      this.emails.holderOf(dto.email),
    ]);
    if (nameHolder) throw nameTaken(dto.organization_name);
    if (emailHolder) throw emailTaken();
    const passwordHash = await this.passwords.hash(dto.password);
    const organization = await this.lifecycle.create({
      name: dto.organization_name,
      email: dto.email,
      passwordHash,
    });
    await this.audit.record({
      action: AuditAction.OrganizationCreate,
      actorId: organization.adminId,
      organizationId: organization._id,
      target: {
        type: AuditTargetType.Organization,
        id: organization._id,
        name: organization.name,
      },
    });
    return toOrganizationResponse(organization, dto.email);
  }

  /**
   * Public; the admin's email is shown only to that organization's own admin. Two `_id`
   * reads: the name's claim, then its holder, which must carry that name now (a claim may
   * be the target of a rename under way) and not be still being created.
   */
  async findByName(name: string, caller?: AuthenticatedAdmin): Promise<OrganizationResponseDto> {
    const holder = await this.names.holderOf(name);
    const organization = holder ? await this.organizations.findById(holder) : null;
    if (organization?.name !== name || organization.status === OrganizationStatus.Creating) {
      throw new NotFoundException(`Organization "${name}" was not found`);
    }
    const isOwner = caller?.organizationId === organization._id.toString();
    const admin = isOwner ? await this.admins.findById(organization.adminId) : null;
    return toOrganizationResponse(organization, admin?.email);
  }

  /**
   * A changed password revokes every earlier token and ends every session, so the answer
   * carries the tokens of a new one.
   */
  async update(
    caller: AuthenticatedAdmin,
    dto: UpdateOrganizationDto,
  ): Promise<UpdateOrganizationResponseDto> {
    let organization = await this.ownOrganization(caller);
    const newName = this.requestedNewName(organization, dto);
    if (newName === undefined && dto.email === undefined && dto.password === undefined) {
      throw new BadRequestException(
        'Send at least one of organization_name, new_organization_name, email or password',
      );
    }
    const adminId = new Types.ObjectId(caller.adminId);
    const previousEmail =
      dto.email === undefined ? undefined : await this.claimEmail(adminId, organization, dto.email);

    let admin: Admin | null;
    let passwordChanged: boolean;
    const renames = newName !== undefined && newName !== organization.name;
    try {
      if (renames) organization = await this.lifecycle.rename(organization._id, newName);
      ({ admin, passwordChanged } = await this.changeCredentials(adminId, dto));
    } catch (error) {
      if (previousEmail !== undefined) await this.emails.release(dto.email!, adminId);
      throw error;
    }
    if (previousEmail !== undefined) {
      this.failurePoints.reach('email:after-switch');
      await this.emails.release(previousEmail, adminId);
    }
    await this.recordUpdate(caller, organization, {
      renamed: renames,
      email: previousEmail === undefined ? undefined : dto.email,
      passwordChanged,
    });
    const response = toOrganizationResponse(organization, admin?.email);
    if (!passwordChanged || !admin) return response;
    await this.sessions.endAll(adminId);
    const { access_token, token_type, expires_in, refresh_token, refresh_expires_in } =
      await this.sessions.start(admin);
    return { ...response, access_token, token_type, expires_in, refresh_token, refresh_expires_in };
  }

  async remove(caller: AuthenticatedAdmin, confirmations: (string | undefined)[]): Promise<void> {
    const organization = await this.ownOrganization(caller);
    assertNamesOwn(organization, confirmations);
    await this.lifecycle.delete(organization._id);
    await this.audit.record({
      action: AuditAction.OrganizationDelete,
      actorId: caller.adminId,
      organizationId: organization._id,
      target: {
        type: AuditTargetType.Organization,
        id: organization._id,
        name: organization.name,
      },
    });
  }

  /** One entry for each part of an update that changed something. */
  private async recordUpdate(
    caller: AuthenticatedAdmin,
    organization: Organization,
    change: { renamed: boolean; email?: string; passwordChanged: boolean },
  ): Promise<void> {
    const entry = { actorId: caller.adminId, organizationId: organization._id };
    const admin = { type: AuditTargetType.Admin, id: new Types.ObjectId(caller.adminId) };
    const changes: AuditChange[] = [];
    if (change.renamed) {
      changes.push({
        ...entry,
        action: AuditAction.OrganizationRename,
        target: {
          type: AuditTargetType.Organization,
          id: organization._id,
          name: organization.name,
        },
      });
    }
    if (change.email !== undefined) {
      changes.push({
        ...entry,
        action: AuditAction.CredentialsEmailChange,
        target: { ...admin, email: change.email },
      });
    }
    if (change.passwordChanged) {
      changes.push({ ...entry, action: AuditAction.CredentialsPasswordChange, target: admin });
    }
    for (const audited of changes) await this.audit.record(audited);
  }

  /**
   * Clients send the current password with every update; only one that differs from the
   * stored hash is a change, and only a change raises the token version.
   */
  private async changeCredentials(
    adminId: Types.ObjectId,
    { email, password }: UpdateOrganizationDto,
  ): Promise<{ admin: Admin | null; passwordChanged: boolean }> {
    const current = await this.admins.findById(adminId);
    const change: CredentialChange = {};
    if (email !== undefined) change.email = email;
    if (password !== undefined && !(await this.passwords.verify(password, current?.passwordHash))) {
      change.passwordHash = await this.passwords.hash(password);
    }
    if (change.email === undefined && change.passwordHash === undefined) {
      return { admin: current, passwordChanged: false };
    }
    const admin = await this.admins
      .updateCredentials(adminId, change)
      .catch(rethrowDuplicateAs(emailTaken()));
    return { admin, passwordChanged: change.passwordHash !== undefined };
  }

  /** `organization_name` is the new name, unless `new_organization_name` is sent too. */
  private requestedNewName(
    organization: Organization,
    dto: UpdateOrganizationDto,
  ): string | undefined {
    if (dto.new_organization_name === undefined) return dto.organization_name;
    assertNamesOwn(organization, [dto.organization_name]);
    return dto.new_organization_name;
  }

  private async ownOrganization(caller: AuthenticatedAdmin): Promise<Organization> {
    const organization = await this.organizations.findById(
      new Types.ObjectId(caller.organizationId),
    );
    if (!organization) throw new NotFoundException('Your organization no longer exists');
    return organization;
  }

  /**
   * An email change claims the new email first, then switches the admin to it, then
   * releases the old one; the reconciler releases whichever claim a crash leaves behind.
   * Returns the email to release afterwards, or undefined when the email does not change.
   */
  private async claimEmail(
    adminId: Types.ObjectId,
    organization: Organization,
    email: string,
  ): Promise<string | undefined> {
    const admin = await this.admins.findById(adminId);
    if (!admin) throw new NotFoundException('Your admin account no longer exists');
    if (admin.email === email) return undefined;
    try {
      await this.emails.claim(email, adminId, organization._id);
    } catch (error) {
      if (!isMongoError(error, MongoErrorCode.DuplicateKey)) throw error;
      // A claim of this admin's own, left by an earlier change that did not finish, is kept.
      if (!(await this.emails.holderOf(email))?.equals(adminId)) throw emailTaken();
    }
    this.failurePoints.reach('email:after-claim');
    return admin.email;
  }
}

function assertNamesOwn(organization: Organization, names: (string | undefined)[]): void {
  if (names.some((name) => name !== undefined && name !== organization.name)) {
    throw new ForbiddenException('organization_name does not name your organization');
  }
}
