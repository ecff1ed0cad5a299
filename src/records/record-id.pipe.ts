import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

const OBJECT_ID = /^[0-9a-f]{24}$/i;

/** A record id from the path must be 24 hexadecimal characters, else 400. */
@Injectable()
export class RecordIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!OBJECT_ID.test(value)) {
      throw new BadRequestException('id must be a record id (24 hexadecimal characters)');
    }
    return value;
  }
}
