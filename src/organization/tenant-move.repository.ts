import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted, Types } from 'mongoose';
import type { Placement } from '../tenant/placement';
import type { TenantLocation } from '../tenant/tenant-location.schema';
import { MoveState, MOVES_UNDER_WAY, TenantMove } from './schemas/tenant-move.schema';

export interface NewMove {
  organizationId: Types.ObjectId;
  placement: Placement;
  from: TenantLocation;
  to: TenantLocation;
}

/** The `tenant_moves` collection: each move's state and progress, for operators and recovery. */
@Injectable()
export class TenantMoveRepository implements OnModuleInit {
  constructor(@InjectModel(TenantMove.name) private readonly moves: Model<TenantMove>) {}

  async onModuleInit(): Promise<void> {
    await this.moves.createIndexes();
  }

  async insert(move: NewMove): Promise<TenantMove> {
    const created = await this.moves.create({
      ...move,
      state: MoveState.Pending,
      copied: 0,
      total: 0,
      heartbeatAt: new Date(),
    });
    return created.toObject();
  }

  findById(id: Types.ObjectId): Promise<TenantMove | null> {
    return this.moves.findById(id).lean<TenantMove>().exec();
  }

  /** Moves under way whose holder has given no sign of life since the cutoff. */
  findAbandoned(cutoff: Date): Promise<TenantMove[]> {
    return this.moves
      .find({
        state: trusted({ $in: MOVES_UNDER_WAY }),
        heartbeatAt: trusted({ $lt: cutoff }),
      })
      .lean<TenantMove[]>()
      .exec();
  }

  /** Records state and progress; also the heartbeat that keeps the move from looking abandoned. */
  async update(
    id: Types.ObjectId,
    change: Partial<Pick<TenantMove, 'state' | 'copied' | 'total' | 'error'>>,
  ): Promise<void> {
    await this.moves
      .updateOne({ _id: id }, { $set: { ...change, heartbeatAt: new Date() } })
      .exec();
  }
}
