import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { Types } from 'mongoose';
import { AuditAction, AuditTargetType } from '../audit/audit-action';
import { AuditTrail } from '../audit/audit-trail.service';
import { AdminRepository } from '../auth/admin.repository';
import type { AuthenticatedAdmin } from '../auth/authenticated-admin';
import { EmailClaimRepository } from '../auth/email-claim.repository';
import { Role, roleOf } from '../auth/role';
import { SessionService } from '../auth/session.service';
import type { Admin } from '../auth/schemas/admin.schema';
import { OrganizationLocks } from '../organization/organization-locks';
import { MemberDto, MemberListDto, toMember } from './dto/member.dto';
import { assertMayManage, assertNotLastOwner, organizationOf } from './member-rules';

/** How long a member change waits for another change of the organization to finish. */
export const MEMBER_LOCK_WAIT_MS = 5_000;

/**
 * The members of the caller's organization. Changes that could take away an owner run under
 * the organization's lock, so two concurrent demotions cannot leave it without one.
 */
@Injectable()
export class MembersService {
  constructor(
    private readonly admins: AdminRepository,
    private readonly emails: EmailClaimRepository,
    private readonly sessions: SessionService,
    private readonly locks: OrganizationLocks,
    private readonly audit: AuditTrail,
  ) {}

  async list(caller: AuthenticatedAdmin): Promise<MemberListDto> {
    const members = await this.admins.listByOrganization(organizationOf(caller));
    return { members: members.map(toMember) };
  }

  changeRole(caller: AuthenticatedAdmin, memberId: string, role: Role): Promise<MemberDto> {
    return this.locked(caller, async (members) => {
      const member = memberIn(members, memberId);
      assertMayManage(caller, roleOf(member), role);
      if (roleOf(member) !== role) {
        if (roleOf(member) === Role.Owner) assertNotLastOwner(members);
        await this.admins.setRole(member._id, member.organizationId, role);
        await this.record(caller, AuditAction.MemberRoleChange, member, role);
      }
      return toMember({ ...member, role });
    });
  }

  /**
   * The member's tokens stop at once (the token check finds no admin), its sessions end and
   * its email is freed.
   */
  remove(caller: AuthenticatedAdmin, memberId: string): Promise<void> {
    return this.locked(caller, async (members) => {
      const member = memberIn(members, memberId);
      assertMayManage(caller, roleOf(member));
      if (roleOf(member) === Role.Owner) assertNotLastOwner(members);
      await this.admins.remove(member._id, member.organizationId);
      await this.sessions.endAll(member._id);
      await this.emails.release(member.email, member._id);
      await this.record(caller, AuditAction.MemberRemove, member);
    });
  }

  /** The member becomes owner and the calling owner becomes admin. */
  transferOwnership(caller: AuthenticatedAdmin, memberId: string): Promise<void> {
    return this.locked(caller, async (members) => {
      const member = memberIn(members, memberId);
      if (member._id.equals(caller.adminId)) {
        throw new BadRequestException('admin_id must name another member');
      }
      const organizationId = organizationOf(caller);
      await this.admins.setRole(member._id, organizationId, Role.Owner);
      await this.admins.setRole(new Types.ObjectId(caller.adminId), organizationId, Role.Admin);
      await this.record(caller, AuditAction.MemberTransferOwnership, member, Role.Owner);
    });
  }

  private record(
    caller: AuthenticatedAdmin,
    action: AuditAction,
    member: Admin,
    role?: Role,
  ): Promise<void> {
    return this.audit.record({
      action,
      actorId: caller.adminId,
      organizationId: member.organizationId,
      target: {
        type: AuditTargetType.Admin,
        id: member._id,
        email: member.email,
        ...(role ? { role } : {}),
      },
    });
  }

  /** Runs a change with the organization's members as they are under its lock. */
  private locked<T>(
    caller: AuthenticatedAdmin,
    change: (members: Admin[]) => Promise<T>,
  ): Promise<T> {
    const organizationId = organizationOf(caller);
    return this.locks.run(
      organizationId,
      async () => change(await this.admins.listByOrganization(organizationId)),
      MEMBER_LOCK_WAIT_MS,
    );
  }
}

/** A member of another organization is as unknown as one that does not exist. */
function memberIn(members: Admin[], memberId: string): Admin {
  const member = members.find((candidate) => candidate._id.equals(memberId));
  if (!member) throw new NotFoundException(`Member ${memberId} was not found`);
  return member;
}
