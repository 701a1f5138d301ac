import {describe, expect, it} from 'vitest'

import {commandProblem, type CommandCatalog} from '../../../src/scenario/commandCheck.js'
import {splitCommandLine} from '../../../src/scenario/commandLine.js'

const base = {json: {type: 'boolean'}, 'data-dir': {type: 'option'}} as const
const catalog: CommandCatalog = {
  commands: [
    {id: 'item register', flags: {...base, name: {type: 'option', required: true}, price: {type: 'option', required: true}}, args: [], strict: true},
    {id: 'item list', flags: {...base}, args: [], strict: true},
    {id: 'reserve', flags: {...base, customer: {type: 'option', required: true}, 'customer-id': {type: 'option'}}, args: [{name: 'itemNo', description: 'item number', required: true}], strict: true},
    {id: 'pay', flags: {...base}, args: [{name: 'reservationNo', description: 'reservation number', required: true}], strict: true},
    {id: 'lend', flags: {...base}, args: [{name: 'itemNo', description: 'item number', required: true}], strict: true},
    {id: 'service stop', flags: {...base}, args: [{name: 'name', description: 'service', required: true, options: ['item', 'payment']}], strict: true},
    {id: 'events', flags: {...base, type: {type: 'option', options: ['Reserved', 'ItemRented']}, limit: {type: 'option', char: 'n'}}, args: [], strict: true},
    {id: 'scenario run', flags: {...base}, args: [{name: 'file', required: true}], strict: false},
  ],
  topics: ['item', 'service', 'scenario'],
}
const problem = (line: string) => commandProblem(splitCommandLine(line), catalog)

describe("a scenario step's command line, checked against the CLI's commands before anything runs", () => {
  it.each([
    'item register --name "Big tent" --price 40',
    'item register --name=Lamp --price=${price}',
    'reserve ${item} --customer Young --customer-id young01',
    'events -n 2 --type Reserved',
    'events --type ${type}',
    'service stop payment',
    'scenario run a.yaml b.yaml c.yaml',
    'item list --json',
  ])('takes %s', (line) => {
    expect(problem(line)).toBeUndefined()
  })

  it.each([
    ['reserv ${item} --customer Young', '"reserv" is not a gdmarket command; did you mean "reserve"? (see `gdmarket --help`)'],
    ['rent 1 --customer Young', '"rent" is not a gdmarket command; did you mean "reserve"? (see `gdmarket --help`)'],
    ['item regster --name Lamp --price 5', '"item regster" is not a gdmarket command; did you mean "item register"? (see `gdmarket item --help`)'],
    ['reserve 1 --custmer Young', 'there is no flag --custmer; did you mean --customer? (see `gdmarket reserve --help`)'],
    ['reserve 1', '--customer is required (see `gdmarket reserve --help`)'],
    ['item register', '--name and --price are required (see `gdmarket item register --help`)'],
    ['item register --name Lamp --price', '--price needs a value (see `gdmarket item register --help`)'],
    ['pay', 'the reservation number is missing (see `gdmarket pay --help`)'],
    ['pay 1 2', 'one argument too many: 2 (see `gdmarket pay --help`)'],
    ['service stop kitchen', '"kitchen" is not one of: item, payment (see `gdmarket service stop --help`)'],
    ['events --type Booked', '--type: "Booked" is not one of: Reserved, ItemRented (see `gdmarket events --help`)'],
    ['lend 1 -x', 'there is no flag -x (see `gdmarket lend --help`)'],
  ])('refuses %s: %s', (line, said) => {
    expect(problem(line)).toBe(said)
  })
})
