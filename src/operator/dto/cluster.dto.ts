import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';
import { CLUSTER_NAME, CLUSTER_URI } from '../../cluster/cluster-uri';

export class RegisterClusterDto {
  @ApiProperty({ example: 'eu-1', description: 'Lowercase letters, digits and hyphens.' })
  @Matches(CLUSTER_NAME, {
    message: 'name must be 1-40 lowercase letters, digits or inner hyphens',
  })
  @IsString({ message: 'name must be a string' })
  name: string;

  @ApiProperty({
    example: 'mongodb://user:secret@db1.example:27017,db2.example:27017/?replicaSet=rs0',
    description: 'Stored encrypted; never shown again.',
    writeOnly: true,
  })
  @Matches(CLUSTER_URI, {
    message: 'uri must be a mongodb:// or mongodb+srv:// connection string',
  })
  @MaxLength(4096, { message: 'uri must be at most 4096 characters' })
  @IsString({ message: 'uri must be a string' })
  uri: string;
}

export enum ClusterHealth {
  Up = 'up',
  Down = 'down',
}

export class ClusterDto {
  @ApiProperty({ example: 'eu-1' })
  name: string;

  @ApiProperty({
    example: ['db1.example:27017', 'db2.example:27017'],
    description: 'Without credentials.',
  })
  hosts: string[];

  @ApiProperty({ enum: ClusterHealth, description: 'Whether it answered a ping just now.' })
  health: ClusterHealth;

  @ApiProperty({ description: 'Organizations whose data lives on it.' })
  tenants: number;
}

export class ClusterListDto {
  @ApiProperty({ type: [ClusterDto] })
  items: ClusterDto[];
}
