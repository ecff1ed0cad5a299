import { Injectable } from '@nestjs/common';
import { ObjectIdPipe } from '../common/object-id.pipe';

/** A record id from the path must be 24 hexadecimal characters, else 400. */
@Injectable()
export class RecordIdPipe extends ObjectIdPipe {
  constructor() {
    super('id must be a record id (24 hexadecimal characters)');
  }
}
