import { BadRequestException, PipeTransform } from '@nestjs/common';

const OBJECT_ID = /^[0-9a-f]{24}$/i;

/** A path id must be 24 hexadecimal characters, else 400 with the given message. */
export class ObjectIdPipe implements PipeTransform<string, string> {
  constructor(private readonly message: string) {}

  transform(value: string): string {
    if (!OBJECT_ID.test(value)) throw new BadRequestException(this.message);
    return value;
  }
}
