import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateOrganizationDto } from './create-organization.dto';
import { UpdateOrganizationDto } from './update-organization.dto';

function validate<T extends object>(type: new () => T, body: object) {
  const dto = plainToInstance(type, body);
  const messages = validateSync(dto, { stopAtFirstError: true }).flatMap((error) =>
    Object.values(error.constraints ?? {}),
  );
  return { dto, messages };
}

const valid = { organization_name: 'acme', email: 'admin@acme.example', password: 'correct-horse' };

describe('organization DTOs', () => {
  it('normalizes the name and the email', () => {
    const { dto, messages } = validate(CreateOrganizationDto, {
      ...valid,
      organization_name: '  Acme_Labs-2 ',
      email: ' Admin@ACME.example ',
    });
    expect(messages).toEqual([]);
    expect(dto).toMatchObject({ organization_name: 'acme_labs-2', email: 'admin@acme.example' });
  });

  it.each(['abc', 'a'.repeat(60), 'A-B_C', '123', 'systems-not', 'my-system'])(
    'accepts the name %s',
    (name) => {
      const accepted = !name.toLowerCase().startsWith('system');
      expect(
        validate(CreateOrganizationDto, { ...valid, organization_name: name }).messages,
      ).toEqual(accepted ? [] : [expect.stringContaining('must not begin with "system"')]);
    },
  );

  it.each([
    'ab',
    'a'.repeat(61),
    'system',
    'System.users',
    'a b',
    'a.b',
    'a$b',
    'a/b',
    'ＡＢＣ',
    'abc\u0000',
  ])('refuses the name %j', (name) => {
    expect(validate(CreateOrganizationDto, { ...valid, organization_name: name }).messages).toEqual(
      [expect.stringContaining('organization_name must be 3 to 60 characters')],
    );
  });

  it('counts the password limit in bytes, not characters', () => {
    expect(
      validate(CreateOrganizationDto, { ...valid, password: '€'.repeat(24) }).messages,
    ).toEqual([]);
    expect(
      validate(CreateOrganizationDto, { ...valid, password: '€'.repeat(25) }).messages,
    ).toEqual(['password must be at most 72 bytes long (UTF-8)']);
  });

  it('lets every update field be omitted but none be null', () => {
    expect(validate(UpdateOrganizationDto, {}).messages).toEqual([]);
    expect(validate(UpdateOrganizationDto, { organization_name: null }).messages).toEqual([
      'organization_name is required',
    ]);
  });
});
