import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { Types } from 'mongoose';
import { AdminRepository, type CredentialChange } from '../auth/admin.repository';
import type { AuthenticatedAdmin } from '../auth/authenticated-admin';
import { PasswordHasher } from '../auth/password-hasher.service';
import type { Admin } from '../auth/schemas/admin.schema';
import { isMongoError, MongoErrorCode } from '../common/mongo-errors';
import { TenantConnectionService } from '../tenant/tenant-connection.service';
import { CreateOrganizationDto } from './dto/create-organization.dto';
import { OrganizationResponseDto, toOrganizationResponse } from './dto/organization-response.dto';
import { UpdateOrganizationDto } from './dto/update-organization.dto';
import { OrganizationRepository } from './organization.repository';
import { Organization, OrganizationStatus } from './schemas/organization.schema';

const BUSY = 'The organization is being changed by another request; try again';

@Injectable()
export class OrganizationService {
  constructor(
    private readonly organizations: OrganizationRepository,
    private readonly admins: AdminRepository,
    private readonly passwords: PasswordHasher,
    private readonly tenants: TenantConnectionService,
  ) {}

  /**
   * Record first (it claims the name), then the admin, then the collection; any failure
   * undoes the steps already taken.
   */
  async create(dto: CreateOrganizationDto): Promise<OrganizationResponseDto> {
    const passwordHash = await this.passwords.hash(dto.password);
    const location = this.tenants.locate(dto.organization_name);
    const adminId = new Types.ObjectId();
    const organization = await this.organizations
      .insert({ name: dto.organization_name, location, adminId })
      .catch(rethrowDuplicateAs(nameTaken(dto.organization_name)));

    let collectionCreated = false;
    try {
      await this.admins.insert({
        _id: adminId,
        email: dto.email,
        passwordHash,
        organizationId: organization._id,
      });
      await this.tenants.createCollection(location);
      collectionCreated = true;
      const active = await this.organizations.markActive(
        organization._id,
        OrganizationStatus.Creating,
      );
      return toOrganizationResponse(active!, dto.email);
    } catch (error) {
      if (collectionCreated) await this.tenants.dropCollection(location);
      await this.admins.deleteById(adminId);
      await this.organizations.deleteById(organization._id);
      if (isMongoError(error, MongoErrorCode.DuplicateKey)) throw emailTaken();
      if (isMongoError(error, MongoErrorCode.NamespaceExists)) {
        throw nameTaken(dto.organization_name);
      }
      throw error;
    }
  }

  /** Public; the admin's email is shown only to that organization's own admin. */
  async findByName(name: string, caller?: AuthenticatedAdmin): Promise<OrganizationResponseDto> {
    const organization = await this.organizations.findByName(name);
    if (!organization) throw new NotFoundException(`Organization "${name}" was not found`);
    const isOwner = caller?.organizationId === organization._id.toString();
    const admin = isOwner ? await this.admins.findById(organization.adminId) : null;
    return toOrganizationResponse(organization, admin?.email);
  }

  async update(
    caller: AuthenticatedAdmin,
    dto: UpdateOrganizationDto,
  ): Promise<OrganizationResponseDto> {
    let organization = await this.ownOrganization(caller);
    const newName = this.requestedNewName(organization, dto);
    if (newName === undefined && dto.email === undefined && dto.password === undefined) {
      throw new BadRequestException(
        'Send at least one of organization_name, new_organization_name, email or password',
      );
    }
    const adminId = new Types.ObjectId(caller.adminId);
    if (dto.email !== undefined) await this.assertEmailAvailable(dto.email, adminId);

    if (newName !== undefined && newName !== organization.name) {
      organization = await this.rename(organization, newName);
    }
    const admin = await this.changeCredentials(adminId, dto);
    return toOrganizationResponse(organization, admin?.email);
  }

  /** Marks the record, drops the collection, then removes the admins and the record. */
  async remove(caller: AuthenticatedAdmin, confirmations: (string | undefined)[]): Promise<void> {
    const organization = await this.ownOrganization(caller);
    assertNamesOwn(organization, confirmations);
    const deleting = await this.organizations.markDeleting(organization._id);
    if (!deleting) throw new ConflictException(BUSY);
    await this.tenants.dropCollection(organization.location);
    await this.admins.deleteByOrganization(organization._id);
    await this.organizations.deleteById(organization._id);
  }

  private async changeCredentials(
    adminId: Types.ObjectId,
    { email, password }: UpdateOrganizationDto,
  ): Promise<Admin | null> {
    if (email === undefined && password === undefined) return this.admins.findById(adminId);
    const change: CredentialChange = {};
    if (email !== undefined) change.email = email;
    if (password !== undefined) change.passwordHash = await this.passwords.hash(password);
    return this.admins.updateCredentials(adminId, change).catch(rethrowDuplicateAs(emailTaken()));
  }

  /** The record's new name is taken first, so the unique index settles any race for it. */
  private async rename(organization: Organization, newName: string): Promise<Organization> {
    const target = this.tenants.locate(newName);
    const renaming = await this.organizations
      .beginRename(organization._id, newName)
      .catch(rethrowDuplicateAs(nameTaken(newName)));
    if (!renaming) throw new ConflictException(BUSY);
    try {
      await this.tenants.renameCollection(organization.location, target);
    } catch (error) {
      await this.organizations.abortRename(organization._id, organization.name);
      if (isMongoError(error, MongoErrorCode.NamespaceExists)) throw nameTaken(newName);
      throw error;
    }
    return (await this.organizations.completeRename(organization._id, target))!;
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

  private async assertEmailAvailable(email: string, adminId: Types.ObjectId): Promise<void> {
    const holder = await this.admins.findByEmail(email);
    if (holder && !holder._id.equals(adminId)) throw emailTaken();
  }
}

function assertNamesOwn(organization: Organization, names: (string | undefined)[]): void {
  if (names.some((name) => name !== undefined && name !== organization.name)) {
    throw new ForbiddenException('organization_name does not name your organization');
  }
}

function nameTaken(name: string): ConflictException {
  return new ConflictException(`Organization name "${name}" is already taken`);
}

function emailTaken(): ConflictException {
  return new ConflictException('An admin with this email already exists');
}

/** For `.catch()`: a duplicate-key error becomes the given conflict; others pass through. */
function rethrowDuplicateAs(conflict: ConflictException) {
  return (error: unknown): never => {
    throw isMongoError(error, MongoErrorCode.DuplicateKey) ? conflict : error;
  };
}
