import { expect, it } from 'vitest'
import { json } from '../helpers/app.ts'
import { describeInBrowser, newVisitor, signIn, signInWithPasswordLink } from '../helpers/browser.ts'

type ContactJson = { id: string; email: string | null; otherEmails: string[]; company: string | null }

describeInBrowser('duplicates', {}, (h) => {
  it('merges a pair keeping the other contact’s email, shows it in the history, and undoes it', async () => {
    const first = await json<ContactJson>(await h.t.call('POST', '/v1/contacts', { name: 'Paula Pair', email: 'paula@old.example', mobile: '+447400600700' }))
    const second = await json<ContactJson>(await h.t.call('POST', '/v1/contacts', { name: 'Paula Pair', email: 'paula@new.example', company: 'Second Co' }))
    const { page, problems } = await newVisitor(h)
    await signIn(page)
    await page.getByRole('link', { name: 'Duplicates' }).click()
    const group = page.getByRole('region', { name: /Paula Pair/ })
    await group.getByRole('button', { name: 'Merge' }).click()
    await page.getByRole('radio', { name: /Email: paula@new\.example/ }).check()
    await page.getByRole('button', { name: 'Merge', exact: true }).click()
    await page.waitForURL(new RegExp(`/console/contacts/${first.id}\\?merged=`))
    const merged = await json<ContactJson>(await h.t.call('GET', `/v1/contacts/${first.id}`))
    expect(merged).toMatchObject({ email: 'paula@new.example', otherEmails: ['paula@old.example'], company: 'Second Co' })
    const history = page.getByRole('region', { name: 'History' })
    await expect.poll(() => history.textContent()).toContain('Merged by a merge')
    expect(await history.textContent()).toContain('paula@old.example')

    await page.getByRole('button', { name: 'Undo' }).click()
    await page.waitForURL(/\/console\/duplicates/)
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Merge undone')
    const back = await json<ContactJson>(await h.t.call('GET', `/v1/contacts/${first.id}`))
    expect(back).toMatchObject({ email: 'paula@old.example', otherEmails: [], company: null })
    expect((await h.t.call('GET', `/v1/contacts/${second.id}`)).status).toBe(200)
    expect(problems).toEqual([])
  })

  it('shows an agent only the groups they may act on', async () => {
    const agent = await json<{ id: string; passwordLink: string }>(await h.t.call('POST', '/v1/users', { name: 'Dora Agent', email: 'dora@example.com', role: 'agent' }))
    await h.t.call('POST', '/v1/contacts', { name: 'Theirs Twin', email: 'twin1@example.com', ownerId: agent.id })
    await h.t.call('POST', '/v1/contacts', { name: 'Theirs Twin', email: 'twin2@example.com', ownerId: null })
    await h.t.call('POST', '/v1/contacts', { name: 'Admins Twin', email: 'adm1@example.com' })
    await h.t.call('POST', '/v1/contacts', { name: 'Admins Twin', email: 'adm2@example.com' })
    const { page } = await newVisitor(h)
    await signInWithPasswordLink(page, agent.passwordLink, 'dora has a long password')
    await page.getByRole('link', { name: 'Duplicates' }).click()
    expect(await page.getByRole('region', { name: /Theirs Twin/ }).count()).toBe(1)
    expect(await page.getByRole('region', { name: /Admins Twin/ }).count()).toBe(0)
  })
})
