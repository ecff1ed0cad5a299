import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

const OBJECT_ID = /^[0-9a-f]{24}$/i;

/** An id from the path must be 24 hexadecimal characters, else 400 naming the parameter. */
@Injectable()
export class ObjectIdPipe implements PipeTransform<string, string> {
  constructor(
    private readonly parameter: string,
    private readonly what: string,
  ) {}

  transform(value: string): string {
    if (!OBJECT_ID.test(value)) {
      throw new BadRequestException(
        `${this.parameter} must be ${this.what} (24 hexadecimal characters)`,
      );
    }
    return value;
  }
}
